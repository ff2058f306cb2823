import { lookupPointer } from '../../../src/openapi/document.js';
import { branchKey, reachableSites, servedBranches } from './coverage.js';
import { fixedAnswer, IDS, type ServedRequest } from './fixups.js';
import { Coverage, generateAnswer, UNSERVABLE_BRANCHES, type Variant } from './generator.js';
import { FIRST } from './operations.js';
import { type Route, routeById } from './routes.js';
import type { Answer, Scenario } from './stub.js';

/**
 * Which answer the stub gives each request of a case (route × variant × run):
 * every request is answered in the case's variant, from the schema of the
 * operation it routes to; the route under test gets, in the `oneOf` variant,
 * the run's answer of its branch-covering sequence, and otherwise the same
 * answer as any request would (seeded by the variant and the request, so the
 * same request always gets the same answer).
 */

/**
 * The document's `extended` parameter: "If true, returns the space object in
 * each items. If false, returns the space ID". The stub does as it says, by
 * pinning the branch of the `space`/`site` oneOf.
 */
const EXTENDED_SITES = [
  '#/components/schemas/IntegrationSpaceInstallation/allOf/1/properties/space/oneOf',
  '#/components/schemas/IntegrationSiteInstallation/allOf/1/properties/site/oneOf',
].map((site) => {
  const branches = lookupPointer(site) as { type?: string }[];
  const id = branches.findIndex((branch) => branch.type === 'string');
  if (id < 0 || branches.length !== 2) throw new Error(`${site} is no longer "an id or the object"`);
  return { site, id, object: 1 - id };
});

export type Flavor = 'extended' | 'plain';

const takesExtended = (route: Route) =>
  route.parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'extended');

function pins(route: Route, extended: boolean): Record<string, number> | undefined {
  if (!takesExtended(route)) return undefined;
  return Object.fromEntries(EXTENDED_SITES.map(({ site, id, object }) => [site, extended ? object : id]));
}

const isIdBranchOfExtendedSite = (key: string) => EXTENDED_SITES.some(({ site, id }) => key === branchKey(site, id));

/** The request a route's operation is expected to send (ids from IDS, `limit` FIRST, `extended` per flavor). */
export function representativeRequest(
  route: Route,
  flavor: Flavor = 'extended',
): ServedRequest & { method: string; path: string } {
  const params: Record<string, string> = {};
  const query: Record<string, string> = {};
  for (const parameter of route.parameters) {
    if (parameter.in === 'path') {
      const value = (IDS as Record<string, string>)[parameter.name];
      if (value === undefined) throw new Error(`no id for the path parameter ${parameter.name}`);
      params[parameter.name] = value;
    } else if (parameter.name === 'limit') query.limit = String(FIRST);
    else if (parameter.name === 'extended' && flavor === 'extended') query.extended = 'true';
  }
  const body =
    route.operationId === 'installIntegrationOnSpace'
      ? { space: IDS.spaceId }
      : route.operationId === 'installIntegrationOnSite'
        ? { siteId: IDS.siteId }
        : undefined;
  const path = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
  return { operationId: route.operationId, method: route.method, path, params, query, body };
}

// --- Any request's answer -------------------------------------------------------------------------

const generated = new Map<string, unknown>();

/** The answer generated for a request in a variant, before it is fixed for the request (memoized). */
function generatedFor(
  variant: Variant,
  route: Route,
  request: { method: string; path: string; query: Record<string, string> },
): unknown {
  if (!route.bodyPointer) return undefined;
  const search = new URLSearchParams(Object.entries(request.query).sort(([a], [b]) => a.localeCompare(b))).toString();
  const seed = `${variant}|${request.method} ${request.path}?${search}`;
  if (!generated.has(seed)) {
    generated.set(
      seed,
      generateAnswer(route.bodyPointer, { variant, seed, pins: pins(route, request.query.extended === 'true') }),
    );
  }
  return generated.get(seed);
}

/** The answer to any request in the variant. */
export function answerFor(variant: Variant, request: ServedRequest & { method: string; path: string }): Answer {
  const route = routeById(request.operationId);
  return { status: route.status, body: fixedAnswer(generatedFor(variant, route, request), request) };
}

/** The answer of the route's representative request (what the answers test checks for most variants). */
export function representativeAnswer(variant: Variant, route: Route, allowedOnly = false): unknown {
  const request = representativeRequest(route);
  if (!allowedOnly) return answerFor(variant, request).body;
  if (!route.bodyPointer) return undefined;
  const seed = `${variant}|allowed|${request.method} ${request.path}`;
  return fixedAnswer(
    generateAnswer(route.bodyPointer, { variant, seed, pins: pins(route, true), allowedOnly: true }),
    request,
  );
}

// --- The oneOf variant's runs ---------------------------------------------------------------------

export interface Run {
  /** `plain`: the operation selects spaces and sites by id only, so the gateway asks no `extended` form. */
  flavor: Flavor;
  /** The route's answer in this run, before it is fixed for the request. */
  generated: unknown;
}

export interface OneOfRuns {
  runs: Run[];
  /** Every branch the route's answer can reach, the unservable ones aside. */
  wanted: Set<string>;
  /** The branches the runs' answers take (measured on the fixed answers). */
  served: Set<string>;
}

/** Beyond this many runs without covering every branch, the generator is wrong, not the route. */
export const MAX_RUNS = 40;

const oneOfCache = new Map<string, OneOfRuns>();

/** Answers for the route, each taking the branches least taken so far, until every branch is served. */
export function oneOfRuns(route: Route): OneOfRuns {
  const cached = oneOfCache.get(route.operationId);
  if (cached) return cached;
  const wanted = new Set<string>();
  const served = new Set<string>();
  const runs: Run[] = [];
  if (route.bodyPointer) {
    for (const [site, branches] of reachableSites(route.bodyPointer)) {
      for (let index = 0; index < branches; index++) {
        if (!UNSERVABLE_BRANCHES[site]?.branches.includes(index)) wanted.add(branchKey(site, index));
      }
    }
    const coverage = new Coverage();
    for (;;) {
      const missing = [...wanted].filter((key) => !served.has(key));
      if ((missing.length === 0 && runs.length > 0) || runs.length >= MAX_RUNS) break;
      const flavor: Flavor =
        takesExtended(route) && missing.length > 0 && missing.every(isIdBranchOfExtendedSite) ? 'plain' : 'extended';
      const answer = generateAnswer(route.bodyPointer, {
        variant: 'oneOf',
        seed: `oneOf|${route.operationId}|${runs.length}`,
        coverage,
        pins: pins(route, flavor === 'extended'),
      });
      servedBranches(fixedAnswer(answer, representativeRequest(route, flavor)), route.bodyPointer, served);
      runs.push({ flavor, generated: answer });
    }
  } else {
    runs.push({ flavor: 'extended', generated: undefined });
  }
  const result = { runs, wanted, served };
  oneOfCache.set(route.operationId, result);
  return result;
}

// --- A case's scenario ----------------------------------------------------------------------------

/**
 * The stub's scenario for one GraphQL request: `primary` (in the oneOf
 * variant) answers the first request routed to the route under test; every
 * other request gets the variant's answer for it.
 */
export function caseScenario(variant: Variant, route: Route, primary?: Run): Scenario {
  let primaryServed = false;
  return (request) => {
    if (primary && !primaryServed && request.operationId === route.operationId) {
      primaryServed = true;
      return { status: route.status, body: fixedAnswer(primary.generated, request) };
    }
    return answerFor(variant, request);
  };
}
