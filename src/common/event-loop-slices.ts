import { setImmediate as eventLoopTurn } from 'node:timers/promises';

/** The longest stretch of a long loop's work between two turns of the event loop. */
const SLICE_MS = 5;

/**
 * Gives the event loop a turn at least every SLICE_MS of a long loop's work (reading thousands of records, deciding
 * thousands of prices), so other requests are answered meanwhile: `if (slices.due()) await slices.turn();` once per
 * item, which awaits nothing while the slice lasts.
 */
export class EventLoopSlices {
  private sliceStart = performance.now();

  due(): boolean {
    return performance.now() - this.sliceStart > SLICE_MS;
  }

  async turn(): Promise<void> {
    await eventLoopTurn();
    this.sliceStart = performance.now();
  }
}
