/** Poll `check` until it returns a truthy value; fail with `what` after `limitMs` (a safety net, not a timing assertion). */
export async function until<T>(check: () => T | Promise<T>, what: string, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
