// The reference for logins: how many argon2.verify calls of one stored hash this machine completes per second at
// the given concurrency, in a process of its own with Node's default thread pool, as the server has.
// Usage: node bench/argon2-verify.mjs HASH PASSWORD SECONDS CONCURRENCY  -> prints {"verifies":N,"seconds":S}
import argon2 from 'argon2';

const [hash, password, secondsArg, concurrencyArg] = process.argv.slice(2);
const deadline = performance.now() + Number(secondsArg) * 1000;
let verifies = 0;

async function worker() {
  while (performance.now() < deadline) {
    if (!(await argon2.verify(hash, password))) throw new Error('the stored hash does not match the password');
    verifies++;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
console.log(JSON.stringify({ verifies, seconds: (performance.now() - started) / 1000 }));
