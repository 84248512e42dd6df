import { setImmediate as eventLoopTurn } from 'node:timers/promises';

const SLICE_MS = 5;

/** Use: `if (slices.due()) await slices.turn();` once per item, which awaits nothing while the slice lasts. */
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
