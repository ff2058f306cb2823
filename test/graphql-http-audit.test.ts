import { createServer } from 'node:http';
import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN } from '../src/simulator/index.js';
import { createGateway } from '../src/yoga.js';
import { useHarness } from './helpers/harness.js';
import { type Loopback, listen } from './helpers/loopback.js';
import { bearer } from './helpers/rest-fixtures.js';

/**
 * The GraphQL over HTTP compliance audit of the `graphql-http` package, run
 * against the gateway over a real socket. Every audit has to pass: the MUSTs
 * because the spec says so, the SHOULDs and MAYs because they do today and a
 * change that breaks one should be seen (and explained in the README).
 */

const h = await useHarness();

let server: Loopback;
let url: string;
beforeAll(async () => {
  server = await listen(createServer(createGateway({ upstream: h.upstream })));
  url = `${server.url}/graphql`;
});
afterAll(() => server.close());

/** Adds a valid token and nothing else: no CSRF header, nothing that would hide a protocol failure. */
function withToken(extra: Record<string, string> = {}): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', bearer(DEMO_TOKEN));
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    return fetch(input, { ...init, headers });
  };
}

const audits = serverAudits({ url: () => url, fetchFn: withToken() });
const isMust = (name: string) => name.startsWith('MUST');

const describeResult = (result: AuditResult) =>
  result.status === 'ok'
    ? `ok      ${result.id} ${result.name}`
    : `${result.status.padEnd(7)} ${result.id} ${result.name}: ${result.reason} (HTTP ${result.response.status})`;

describe('GraphQL over HTTP: every audit passes, MUST, SHOULD and MAY, with no header but the token', () => {
  it('the suite has MUST audits', () => {
    expect(audits.filter((audit) => isMust(audit.name)).length).toBeGreaterThan(0);
  });

  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, describeResult(result)).toBe('ok');
    });
  }
});
