import { setFlagsFromString } from 'node:v8';

/** V8's own `--semi-space-growth-factor`: the young generation doubles when most of what it holds survives. */
const V8_GROWTH_FACTOR = 2;

// DECISION: while the server starts, the young generation keeps its initial size (1 MB semi-spaces). Start-up creates
// mostly objects that live as long as the process (modules, decorator metadata, routes), so V8 would grow the young
// generation to its 16 MB maximum (32 MB of memory, most of it left empty once those objects are promoted) and keep
// that size while the server idles. Imported first by main.ts, so the flag is set before anything else loads; V8
// reads this flag whenever it considers growing, and --max-semi-space-size cannot be changed from inside a process.
setFlagsFromString('--semi-space-growth-factor=1');

/** Once the server listens: the young generation grows again as V8 decides, so throughput under load is as before. */
export function releaseYoungGeneration(): void {
  setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}
