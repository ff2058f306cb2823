import { describe, expect, it } from 'vitest';
import { ORGANIZATIONS } from '../../src/simulator/catalog.js';
import {
  organizationId,
  POPULAR_INTEGRATION,
  SEEDED_USERS,
  SimulatorStore,
  startSimulator,
  WORLD_NOW,
} from '../../src/simulator/index.js';
import { TOKENS } from './helpers.js';

/** A comparable snapshot of a store. */
function snapshot(store: SimulatorStore) {
  return JSON.stringify({
    organizations: [...store.organizations.values()],
    spaces: [...store.spaces.values()],
    sites: [...store.sites.values()],
    integrations: store.integrationList().map((r) => ({
      ...r,
      installations: [...r.installations.values()].map((i) => ({
        ...i,
        content: { space: [...i.content.space.values()], site: [...i.content.site.values()] },
      })),
    })),
  });
}

describe('seed', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(snapshot(new SimulatorStore(1))).toBe(snapshot(new SimulatorStore(1)));
    expect(snapshot(new SimulatorStore(2))).not.toBe(snapshot(new SimulatorStore(1)));
  });

  it('keeps the fixed world (organizations, users, hand-written integrations) across seeds', () => {
    const one = new SimulatorStore(1);
    const two = new SimulatorStore(7);
    expect([...one.organizations.keys()]).toEqual([...two.organizations.keys()]);
    for (const name of [
      'slack',
      'github-sync',
      'jira',
      'google-analytics',
      'intercom',
      'mermaid',
      'kudos',
      'northwind-sso',
    ]) {
      expect(one.integrations.get(name)?.integration.title).toBe(two.integrations.get(name)?.integration.title);
    }
  });

  for (const seed of [1, 2, 3, 42]) {
    it(`holds the documented guarantees for seed ${seed}`, () => {
      const store = new SimulatorStore(seed);
      expect(store.integrations.size).toBe(60);
      expect(store.organizations.size).toBeGreaterThanOrEqual(25);
      const customers = ORGANIZATIONS.filter((o) => o.role === 'customer').map((o) => organizationId(o.slug));
      for (const orgId of customers) {
        expect(store.spacesOf(orgId).length).toBeGreaterThanOrEqual(6);
        expect(store.sitesOf(orgId).length).toBeGreaterThanOrEqual(2);
      }
      const popular = store.integrations.get(POPULAR_INTEGRATION)!;
      expect(popular.installations.size).toBe(customers.length);
      expect(popular.installations.size).toBeGreaterThanOrEqual(25);
      for (const inst of popular.installations.values()) {
        expect(inst.content.space.size).toBeGreaterThanOrEqual(6);
        expect(inst.content.site.size).toBeGreaterThanOrEqual(1);
      }
      for (const record of store.integrations.values()) {
        if (record.integration.visibility === 'private') {
          expect(store.installationIn(record, record.ownerId), record.integration.name).toBeDefined();
          expect([...record.installations.values()].every((i) => i.organizationId === record.ownerId)).toBe(true);
        }
        for (const event of record.events) expect(Date.parse(event.event.createdAt)).toBeLessThanOrEqual(WORLD_NOW);
      }
      const categories = new Set([...store.integrations.values()].flatMap((r) => r.integration.categories));
      expect(categories.size).toBe(6);
      const targets = new Set([...store.integrations.values()].map((r) => r.integration.target));
      expect(targets.size).toBe(4);
      const visibilities = new Set([...store.integrations.values()].map((r) => r.integration.visibility));
      expect(visibilities.size).toBe(3);
    });
  }

  it('gives every user an exact set of organizations', () => {
    expect(SEEDED_USERS.alice.organizations).toEqual([organizationId('northwind')]);
    expect(SEEDED_USERS.bob.organizations).toEqual([organizationId('globex')]);
    expect(SEEDED_USERS.carol.organizations).toEqual([]);
    expect(SEEDED_USERS.demo.organizations).toHaveLength(ORGANIZATIONS.length - 2);
    expect(SEEDED_USERS.demo.organizations).not.toContain(organizationId('northwind'));
  });
});

describe('reset', () => {
  it('restores the seeded state, clears the recorded requests, and replays later writes identically', async () => {
    const sim = await startSimulator({ validateResponses: true, seed: 5 });
    try {
      const initial = snapshot(sim.store);
      const northwind = organizationId('northwind');
      const name = sim.store
        .integrationList()
        .find((r) => r.integration.visibility === 'public' && !sim.store.installationIn(r, northwind))!
        .integration.name;
      const install = async () => {
        const response = await fetch(`${sim.url}/integrations/${name}/installations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.alice}`, 'content-type': 'application/json' },
          body: JSON.stringify({ organization: northwind }),
        });
        expect(response.status).toBe(201);
        return response.json();
      };
      const first = await install();
      expect(first.createdAt > new Date(WORLD_NOW).toISOString()).toBe(true);
      expect(snapshot(sim.store)).not.toBe(initial);
      expect(sim.requests).toHaveLength(1);
      sim.reset();
      expect(snapshot(sim.store)).toBe(initial);
      expect(sim.requests).toEqual([]);
      expect(await install()).toEqual(first);
    } finally {
      await sim.close();
    }
  });

  it('starts fast', async () => {
    const started = performance.now();
    const sim = await startSimulator();
    const elapsed = performance.now() - started;
    await sim.close();
    expect(elapsed).toBeLessThan(500);
  });
});
