import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { createGateway } from '../src/yoga.js';
import { BaselineRest, benchQueries } from './bench/queries.js';
import { useHarness } from './helpers/harness.js';
import { queryGateway } from './helpers/loopback.js';
import { GatedUpstream, RoundGate } from './helpers/rounds.js';

/**
 * The benchmark's queries (test/bench): the gateway must make exactly the
 * REST calls of the hand-written baseline, in as few round trips. Counts and
 * rounds are deterministic, so they are asserted here; times are measured by
 * `npm run bench`, never asserted. Round trips are counted by causality (a
 * gate releases one round's calls at a time), so a loaded machine cannot
 * make independent calls look chained.
 */

const h = await useHarness();
const gate = new RoundGate();
const gatedUpstream = new GatedUpstream({ baseUrl: h.simulator.url, timeoutMs: 10_000, connections: 128 }, gate);
const gateway = createGateway({ upstream: gatedUpstream });
const baseline = new BaselineRest(h.simulator.url, DEMO_TOKEN, 128, (send) => gate.hold(send));
afterAll(async () => {
  await baseline.close();
  await gatedUpstream.close();
});

async function measure(run: () => Promise<unknown>) {
  h.simulator.clearRequests();
  const { result, rounds } = await gate.rounds(run);
  const calls = [...h.simulator.requests];
  return { result, rounds, calls, paths: calls.map((call) => `${call.method} ${call.path}?${call.search}`).sort() };
}

describe.each(benchQueries())('query ($id) $title', (query) => {
  it('makes exactly the baseline’s REST calls, in as many round trips, and answers the same data', async () => {
    const fromGateway = await measure(() => queryGateway(gateway, query.query, { variables: query.variables }));
    const manual = await measure(() => query.baseline(baseline));

    expect(fromGateway.paths).toEqual(manual.paths);
    expect(fromGateway.rounds).toBe(manual.rounds);
    expect(fromGateway.calls.every((call) => call.status === 200)).toBe(true);
    expect(fromGateway.result).toEqual({ data: manual.result });
  });
});

it('the chains are what a careful engineer expects: 1, 2, 1, 1 and 1 round trips', async () => {
  const rounds: number[] = [];
  for (const query of benchQueries()) rounds.push((await measure(() => query.baseline(baseline))).rounds);
  expect(rounds).toEqual([1, 2, 1, 1, 1]);
});
