import type { PriceObservation } from '../src/price-loads/canonical-records';
import { decideCurrentPrices } from '../src/price-loads/current-price-decision';
import { PriceReduction } from '../src/price-loads/price-reduction';

const OSORIO = { id: 7, name: 'Osorio' };

function observation(
  fields: Partial<PriceObservation> & Pick<PriceObservation, 'materialType' | 'pricePerFoot' | 'source'>,
): PriceObservation {
  return {
    supplier: 'Osorio',
    priceDate: null,
    pricePerLb: null,
    pricePerSqft: null,
    notes: null,
    currency: 'USD',
    rawDescription: null,
    unknownKeyFamily: false,
    ...fields,
  };
}

/** A file's candidates as its reading thread hands them on. */
function fileOf(...observations: PriceObservation[]): Uint8Array<ArrayBuffer> {
  const reduction = new PriceReduction({ supplierName: (name) => name });
  for (const item of observations) reduction.add(item);
  return reduction.candidates().serialized;
}

function storedPrice(materialType: string, supplierId: number, supplier: string, price: number, priceDate: string | null) {
  return { materialType, supplierId, supplier, unit: 'foot', price, priceDate };
}

describe('the current-price decision (a reading thread)', () => {
  it('pools one day across files, decides against the stored prices and gives back the winning rows', () => {
    const decision = decideCurrentPrices({
      files: [
        fileOf(
          observation({ materialType: 'sq_tube_2x11ga', pricePerFoot: 3, priceDate: '2025-01-02', source: 'a.csv:2' }),
          observation({ materialType: 'flat_bar_1x0.25', pricePerFoot: 1, priceDate: '2024-06-01', source: 'a.csv:3' }),
        ),
        fileOf(observation({ materialType: 'sq_tube_2x11ga', pricePerFoot: 4, priceDate: '2025-01-02', source: 'b.csv:2' })),
      ],
      stored: JSON.stringify([
        storedPrice('sq_tube_2x11ga', OSORIO.id, OSORIO.name, 2.5, '2025-01-01'),
        storedPrice('flat_bar_1x0.25', OSORIO.id, OSORIO.name, 2, '2025-01-01'),
      ]),
      suppliers: [['osorio', OSORIO]],
    });

    expect(decision.items).toBe(2);
    expect(decision.changes).toEqual([
      {
        material_type: 'sq_tube_2x11ga',
        supplier: 'Osorio',
        unit: 'foot',
        old: { price: 2.5, price_date: '2025-01-01' },
        new: { price: 4, price_date: '2025-01-02' },
      },
    ]);
    expect(decision.rows.map((rows) => JSON.parse(new TextDecoder().decode(rows)) as unknown)).toEqual([
      [
        {
          material_type: 'sq_tube_2x11ga',
          supplier: 'Osorio',
          unit: 'foot',
          supplier_id: OSORIO.id,
          price: 4,
          price_date: '2025-01-02',
          source: 'b.csv:2',
          notes: null,
        },
      ],
    ]);
    expect(decision.warnings).toEqual([
      expect.objectContaining({ kind: 'same_day_conflict', material_type: 'sq_tube_2x11ga', date: '2025-01-02', prices: [4, 3] }),
    ]);
  });

  it("warns of a new price far from the median of the other suppliers' current prices", () => {
    const decision = decideCurrentPrices({
      files: [fileOf(observation({ materialType: 'angle_1x1x0.125', pricePerFoot: 10, priceDate: '2025-01-02', source: 'a.csv:2' }))],
      stored: JSON.stringify([
        storedPrice('angle_1x1x0.125', 1, 'Alro', 1, '2025-01-01'),
        storedPrice('angle_1x1x0.125', 2, 'Bico', 1.2, '2025-01-01'),
      ]),
      suppliers: [['osorio', OSORIO]],
    });

    expect(decision.warnings).toEqual([expect.objectContaining({ kind: 'outlier', supplier: 'Osorio', prices: [10], median: 1.1 })]);
  });

  it('refuses a candidate whose supplier was not stored before its prices', () => {
    const task = {
      files: [fileOf(observation({ materialType: 'sq_tube_2x11ga', pricePerFoot: 3, source: 'a.csv:2' }))],
      stored: '[]',
      suppliers: [],
    };

    expect(() => decideCurrentPrices(task)).toThrow('supplier osorio was not stored before its prices');
  });
});
