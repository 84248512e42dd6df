// A worker thread that asks GET /api/auth/me at a fixed rate, from its own event loop, until the parent posts
// 'stop'; it posts 'started' once its sockets are open and its first request is due, then the latencies.
// Each request is timed from the moment it was due, not from when a free socket sent it: a stall of the server
// delays every request due during it, as it would delay a person (no coordinated omission). The requests are
// bounded by the rate and the window; what is still unanswered `drainMs` after 'stop' counts at its age then.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, accessToken, ratePerSecond, maxSockets, drainMs, warmUpRequests } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets });
const headers = { authorization: `Bearer ${accessToken}` };
const intervalMs = 1000 / ratePerSecond;
const latencies = [];
const statusCodes = {};
const pending = new Set();
let stopped = false;
let onDrained = () => undefined;

function ask(dueAt) {
  return new Promise((resolveAsk) => {
    const entry = { dueAt, finish: null };
    entry.finish = (status) => {
      if (!pending.delete(entry)) return;
      latencies.push(performance.now() - dueAt);
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      resolveAsk();
      if (stopped && pending.size === 0) onDrained();
    };
    pending.add(entry);
    const sent = request(url, { agent, headers }, (response) => {
      response.resume();
      response.on('end', () => entry.finish(String(response.statusCode)));
      response.on('error', () => entry.finish('closed'));
    });
    sent.on('error', (error) => entry.finish(error.code ?? 'error'));
    sent.end();
  });
}

async function warmUp() {
  await Promise.all(Array.from({ length: warmUpRequests }, () => ask(performance.now())));
  latencies.length = 0;
  for (const status of Object.keys(statusCodes)) delete statusCodes[status];
}

function schedule() {
  const started = performance.now();
  let sentCount = 0;
  const tick = () => {
    const now = performance.now();
    for (let dueAt = started + sentCount * intervalMs; !stopped && dueAt <= now; dueAt = started + sentCount * intervalMs) {
      void ask(dueAt);
      sentCount++;
    }
    if (!stopped) setTimeout(tick, Math.max(0, started + sentCount * intervalMs - performance.now()));
  };
  tick();
  return started;
}

async function stop(started) {
  stopped = true;
  const stoppedAt = performance.now();
  if (pending.size > 0) {
    await new Promise((resolveDrain) => {
      onDrained = resolveDrain;
      setTimeout(resolveDrain, drainMs);
    });
  }
  for (const entry of [...pending]) entry.finish('unanswered');
  agent.destroy();
  parentPort.postMessage({ seconds: (stoppedAt - started) / 1000, latencies, statusCodes });
}

await warmUp();
const started = schedule();
parentPort.once('message', () => void stop(started));
parentPort.postMessage('started');
