import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { BaselineRest, benchQueries } from './bench/queries.js';
import { waterfallDepth } from './bench/waterfall.js';
import { useHarness } from './helpers/harness.js';

/**
 * The benchmark's queries (test/bench): the gateway must make exactly the
 * REST calls of the hand-written baseline, in as few round trips. Counts and
 * chains are deterministic, so they are asserted here; times are measured by
 * `npm run bench`, never asserted.
 */

const h = await useHarness();
const baseline = new BaselineRest(h.simulator.url, DEMO_TOKEN);
afterAll(() => baseline.close());

// Far above the gateway’s own work (even on a busy machine), so the calls of one round trip overlap.
const LATENCY_MS = 100;

async function measure(run: () => Promise<unknown>) {
  h.simulator.clearRequests();
  h.simulator.setLatency(LATENCY_MS);
  try {
    const result = await run();
    const calls = [...h.simulator.requests];
    return { result, calls, paths: calls.map((call) => `${call.method} ${call.path}?${call.search}`).sort() };
  } finally {
    h.simulator.setLatency(0);
  }
}

describe.each(benchQueries())('query ($id) $title', (query) => {
  it('makes exactly the baseline’s REST calls, in as many round trips, and answers the same data', async () => {
    const gateway = await measure(() => h.data(query.query, query.variables));
    const manual = await measure(() => query.baseline(baseline));

    expect(gateway.paths).toEqual(manual.paths);
    expect(waterfallDepth(gateway.calls)).toBe(waterfallDepth(manual.calls));
    expect(gateway.calls.every((call) => call.status === 200)).toBe(true);
    expect(gateway.result).toEqual(manual.result);
  });
});

it('the chains are what a careful engineer expects: 1, 2, 1 and 1 round trips', async () => {
  const depths: number[] = [];
  for (const query of benchQueries()) depths.push(waterfallDepth((await measure(() => query.baseline(baseline))).calls));
  expect(depths).toEqual([1, 2, 1, 1]);
});
