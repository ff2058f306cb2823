/**
 * Waits for a condition the code under test will make true (a poll made, a
 * connection ready), checking every `everyMs`; fails naming `what` after
 * `attempts` checks. Tests assert what happened, never how long it took: this
 * only bounds how long a broken run hangs.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  { attempts = 400, everyMs = 10 } = {},
): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
