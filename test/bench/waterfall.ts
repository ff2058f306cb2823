/**
 * The longest chain of REST calls that had to wait for one another: a call
 * is one step after every call that ended before it started. Measured with
 * an upstream latency well above the gateway's own work, calls of one wave
 * overlap, and the chain is the number of round trips a query costs.
 */
export function waterfallDepth(calls: readonly { startedAt: number; endedAt: number }[]): number {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const depth: number[] = [];
  sorted.forEach((call, index) => {
    let before = 0;
    for (let other = 0; other < index; other += 1) {
      const previous = sorted[other];
      if (previous && previous.endedAt <= call.startedAt) before = Math.max(before, depth[other] ?? 0);
    }
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}
