/** Polls `condition` every `intervalMs` until it holds; fails after `attempts` tries (a bound, not a wait). */
export async function pollUntil(condition: () => boolean | Promise<boolean>, attempts = 300, intervalMs = 20): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error('the condition did not come true in time');
}
