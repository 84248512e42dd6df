import { deriveMaterialKey, formatInches, parseLengthFeet } from '../src/material-keys/material-key';

const keyOf = (description: string, hints?: string[]) => {
  const derived = deriveMaterialKey(description, hints);
  return 'profile' in derived ? derived.profile.key : `problem: ${derived.problem}`;
};

describe('material key grammar', () => {
  it.each([
    ['Tubing - Square 1-1/2" x 1-1/2" x 11ga', 'sq_tube_1.5x11ga'],
    ['Tubing - Square 2" x 2" x 11 ga', 'sq_tube_2x11ga'],
    ['2" x 2" x 11G HR SQUARE TUBE 24\'', 'sq_tube_2x11ga'],
    ['Tubing - Square 6" x 6" x 3/16ga', 'sq_tube_6x0.1875'],
    ['Tubing - Square 1-3/4" x 1-3/4 x 11ga', 'sq_tube_1.75x11ga'],
    ['Tubing - Square 3" x 3" x 1/4"', 'sq_tube_3x0.25'],
    ['SS Square Tube 1-1/4"x11GA x 20\' T-304', 'ss304_sq_tube_1.25x11ga'],
    ['Tubing - Rect 4" x 2" x 11ga', 'rect_tube_4x2x11ga'],
    ['Tubing - Rect. 2" x 3" x 14ga', 'rect_tube_3x2x14ga'],
    ['3" x 2" x .250 RECTANGULAR TUBE 20\'***', 'rect_tube_3x2x0.25'],
    ['HRRDTB-001800-11-... 1-1/2" OD x 11G HR DOM RND TUBE >> 20\' R/L', 'dom_tube_1.5x11ga'],
    ['Round Tube 1-1/2" OD x 14ga', 'round_tube_1.5x14ga'],
    ['Pipe 1-1/2" Sch 40', 'pipe_1.5_sch40'],
    ['Flat Bar - 3/8" x 3"', 'flat_bar_3x0.375'],
    ['1/2" x 4" HR FLATS 20\'', 'flat_bar_4x0.5'],
    ['3/16" x 4" Stainless Steel T316 Strip 12\' R/L ***', 'ss316_flat_bar_4x0.1875'],
    ['3/16" X 4" Type 304 Stainless Steel Strip 12\' ***', 'ss304_flat_bar_4x0.1875'],
    ['Angle 2" x 2" x 1/8"', 'angle_2x2x0.125'],
    ['Angle 2" x 3" x 1/4"', 'angle_3x2x0.25'],
    ['Aluminum - Angle 2" x 2" x 1/8"', 'al_angle_2x2x0.125'],
    ['Channel 3" x 4.1#', 'channel_3x4.1'],
    ['Bar - Round 1/2"', 'round_bar_0.5'],
    ['Square Bar 3/4"', 'sq_bar_0.75'],
    ['7GA x 48" x 96" HR SHEET', 'sheet_7ga'],
    ['Aluminum Sheet 11GA 48"x96"', 'al_sheet_11ga'],
    ['HR Plate 3/4" x 24" x 34"', 'plate_0.75'],
    ['Plate 1/4"', 'plate_0.25'],
    ['6061-T6 Flat Bar 1/4" x 2"', 'al_flat_bar_2x0.25'],
  ])('%s -> %s', (description, key) => {
    expect(keyOf(description)).toBe(key);
  });

  it('takes the alloy and shape from a hint when the description leaves them out', () => {
    expect(keyOf('SS Square Tube 1"x1"x1/8" x 20\'', ['ss_304_sq_tube'])).toBe('ss304_sq_tube_1x0.125');
    expect(keyOf('2" x 2" x 1/8"', ['aluminum_angle'])).toBe('al_angle_2x2x0.125');
    expect(keyOf('Angle 2" x 2" x 1/8"', ['aluminum_sheet'])).toMatch(/^problem: it names two shapes/);
  });

  it.each([
    ['Flat Bar 1/2" x', /cut off/],
    ['16GA x 48" x 96" STAINLESS STEEL SHEET, TYPE', /cut off/],
    ['HRRECTB-0295-24', /names no shape/],
    ['SS - Square Tube 1" x 1" x 1/8"', /stainless steel without its grade/],
    ['Tubing - Round 4" OD x sch 40', /pipe schedule on a tube/],
    ['Channel 2" x 1" x 1/8" No Punch', /no weight per foot/],
    ['Tubing - Square 2" x 3" x 11ga', /square tube .* cannot be read from 2 x 3 x 11ga/],
    ['Angle 2" x 1/8"', /angle .* cannot be read/],
    ['Pipe 2"', /without its schedule/],
    ['Stainless Aluminum Sheet 11ga', /both stainless steel and aluminum/],
    ['Flat Bar 1/4" x 2" x 20\' x 10\'', /2 lengths/],
  ])('reports %s instead of guessing', (description, problem) => {
    expect(keyOf(description)).toMatch(problem);
  });

  it('reads the stick length and the sheet size for piece prices', () => {
    expect(deriveMaterialKey('Square Steel Tubing 1-1/2"x1-1/2"x14GA x 24\'')).toEqual({
      profile: { key: 'sq_tube_1.5x14ga', stickLengthFeet: 24, sheetAreaSqft: null },
    });
    expect(deriveMaterialKey('SS Sheet 11GA 48"x96" T-304 w/ PVC')).toEqual({
      profile: { key: 'ss304_sheet_11ga', stickLengthFeet: null, sheetAreaSqft: 32 },
    });
    expect(deriveMaterialKey('Flat Bar 1/4" x 2" x 20\' 6"')).toEqual({
      profile: { key: 'flat_bar_2x0.25', stickLengthFeet: 20.5, sheetAreaSqft: null },
    });
  });

  it('writes decimal inches without trailing zeros', () => {
    expect([1.5, 0.1875, 0.125, 3, 0.25, 1 / 64].map(formatInches)).toEqual(['1.5', '0.1875', '0.125', '3', '0.25', '0.015625']);
  });

  it('reads stick sizes', () => {
    expect(parseLengthFeet('24\' 0"')).toBe(24);
    expect(parseLengthFeet("20'")).toBe(20);
    expect(parseLengthFeet('12\' 6"')).toBe(12.5);
    expect(parseLengthFeet('twenty feet')).toBeNull();
    expect(parseLengthFeet("0'")).toBeNull();
  });
});
