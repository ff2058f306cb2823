import { execute, type GraphQLObjectType, parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupPointer as lookup } from '../src/openapi/document.js';
import { validatorAt } from '../src/openapi/validation.js';
import { schema } from '../src/schema/index.js';
import { matchRoute } from '../src/simulator/spec.js';
import { Upstream } from '../src/upstream/client.js';
import { createGateway } from '../src/yoga.js';
import type { GraphQLResponse } from './helpers/harness.js';
import {
  caseScenario,
  MAX_RUNS,
  oneOfRuns,
  type Run,
  representativeAnswer,
  representativeRequest,
} from './helpers/spec-answers/answers.js';
import {
  enumProblems,
  errorProblems,
  holdsForbiddenChange,
  leaves,
  numberProblems,
  servedAnswerProblems,
  servedValues,
  validityProblem,
} from './helpers/spec-answers/checks.js';
import {
  FUTURE_NUMBERS,
  generateAnswer,
  isFuture,
  UNKNOWN_PROPERTY,
  UNSERVABLE_BRANCHES,
  VARIANTS,
  type Variant,
} from './helpers/spec-answers/generator.js';
import { buildOperation, ENTRIES } from './helpers/spec-answers/operations.js';
import { GATEWAY_TAG, OTHER_OPERATIONS, ROUTES, type Route } from './helpers/spec-answers/routes.js';
import { type Exchange, startStub } from './helpers/spec-answers/stub.js';

/**
 * GitBook's API answers more than its pinned OpenAPI document says: new enum
 * values, new properties, numbers a GraphQL Int cannot hold. For every REST
 * route the gateway uses, a stub upstream serves answers generated from the
 * document (json-schema-faker, seeded) in five variants: only the required
 * properties, every property, every oneOf/anyOf branch in turn, and twice
 * "from the future" (unknown enum values and properties, numbers at the
 * document's limits: fractions past 2^32, then 2^53 - 1). A GraphQL operation
 * generated from the schema reaches the route and selects every field below
 * it; the gateway must answer it whole, numbers intact, unknown enum values as
 * UNKNOWN with a warning each.
 *
 * Two tests per route and variant: the generated answers are what the
 * document says (Ajv, on the document itself), and the gateway answers them.
 */

const stub = await startStub();
const upstream = new Upstream({ baseUrl: `${stub.url}/v1`, timeoutMs: 5_000, connections: 16 });
const gateway = createGateway({ upstream });

afterAll(async () => {
  await upstream.close();
  await stub.close();
});

type Response = GraphQLResponse & { extensions?: Record<string, unknown> };

async function send(query: string, variables: Record<string, unknown>): Promise<Response> {
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Response;
}

/** JSON for a report, cut past 20,000 characters so a failure stays readable. */
const json = (value: unknown) => {
  const text = JSON.stringify(value, null, 2) ?? '(no body)';
  return text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters)` : text;
};

/**
 * The messages the gateway masked, by path: the same operation executed
 * again on the same schema and answers, without Yoga's masking, so a report
 * says why a field failed and not only "Unexpected error.".
 */
async function unmaskedMessages(query: string, variables: Record<string, unknown>): Promise<Map<string, string>> {
  const context = { rest: upstream.client('Bearer x') };
  try {
    const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue: context });
    return new Map((result.errors ?? []).map((error) => [JSON.stringify(error.path ?? []), error.message]));
  } finally {
    context.rest.release();
  }
}

/** Everything needed to see what went wrong, and reproduce it. */
function report(
  route: Route,
  variant: Variant,
  run: number,
  operation: { query: string; variables: unknown },
  exchanges: readonly Exchange[],
  response: unknown,
  problems: readonly string[],
): string {
  const primary = exchanges.filter((exchange) => exchange.operationId === route.operationId);
  const others = exchanges.filter((exchange) => exchange.operationId !== route.operationId);
  return [
    `${route.operationId} (${route.method} ${route.path}), variant ${variant}, run ${run}`,
    '--- problems ---',
    ...problems,
    '--- operation ---',
    operation.query,
    `variables: ${JSON.stringify(operation.variables)}`,
    `--- the answer${primary.length === 1 ? '' : 's'} served for ${route.operationId} ---`,
    ...primary.map(
      (exchange) =>
        `${exchange.method} ${exchange.path}${exchange.search} → ${exchange.status}\n${json(exchange.answer)}`,
    ),
    '--- the other REST calls (answered in the same variant) ---',
    ...others.map((exchange) => `${exchange.method} ${exchange.path}${exchange.search} → ${exchange.status}`),
    '--- GraphQL response ---',
    json(response),
  ].join('\n');
}

const rootOf = (operationId: string) =>
  (ENTRIES[operationId]?.kind === 'mutation' ? schema.getMutationType() : schema.getQueryType()) as GraphQLObjectType;

/** One GraphQL request of a case, and what is wrong with its response (none: passed). */
async function runCase(route: Route, variant: Variant, run: number, primary?: Run): Promise<string | undefined> {
  const operation = buildOperation(schema, route.operationId, { contentIdOnly: primary?.flavor === 'plain' });
  stub.scenario = caseScenario(variant, route, primary);
  stub.exchanges.length = 0;
  const response = await send(operation.query, operation.variables);
  const exchanges = [...stub.exchanges];

  const infrastructure = servedAnswerProblems(variant, exchanges);
  if (infrastructure.length > 0) {
    // The test's own bug, not the gateway's: say so plainly.
    stub.scenario = undefined;
    const problems = ['THE STUB SERVED WRONG ANSWERS (a bug of the test):', ...infrastructure];
    return report(route, variant, run, operation, exchanges, response, problems);
  }
  const problems: string[] = [];
  let causes = new Map<string, string>();
  if (response.errors?.some((error) => error.message === 'Unexpected error.')) {
    // The same answers again (a fresh scenario serves the run's answer to the route first again).
    stub.scenario = caseScenario(variant, route, primary);
    causes = await unmaskedMessages(operation.query, operation.variables);
  }
  stub.scenario = undefined;
  if (!exchanges.some((exchange) => exchange.operationId === route.operationId)) {
    const calls = exchanges.map((exchange) => exchange.operationId).join(', ') || 'none';
    problems.push(`${route.operationId} was never called (calls: ${calls})`);
  }
  problems.push(...errorProblems(response, causes));
  const found = leaves(rootOf(route.operationId), response.data);
  const served = servedValues(exchanges);
  problems.push(...numberProblems(variant, found, served.numbers, response));
  problems.push(...enumProblems(variant, found, response, served.strings));
  return problems.length > 0 ? report(route, variant, run, operation, exchanges, response, problems) : undefined;
}

describe('the routes', () => {
  it(`are the operations tagged ${GATEWAY_TAG}, with ${OTHER_OPERATIONS.join(' and ')}`, () => {
    expect(ROUTES.length).toBe(36);
    for (const name of OTHER_OPERATIONS) expect(ROUTES.map((route) => route.operationId)).toContain(name);
  });

  it('each has a GraphQL entry, and the stub routes its requests', () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      if (!ENTRIES[route.operationId]) problems.push(`${route.operationId}: no GraphQL entry`);
      const request = representativeRequest(route);
      const match = matchRoute(route.method, request.path);
      if (match.kind !== 'found' || match.operation.id !== route.operationId) {
        problems.push(`${route.operationId}: ${request.path} routes to ${match.kind}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(Object.entries(UNSERVABLE_BRANCHES))(
    'each branch left unserved is still a defect of the document: %s',
    (site, { branches, overlaps }) => {
      for (const branch of branches) {
        const value = generateAnswer(`${site}/${branch}`, {
          variant: 'required',
          seed: `unservable|${site}|${branch}`,
        });
        expect(validatorAt(`${site}/${branch}`)(value), `a value of ${site}/${branch}`).toBe(true);
        expect(validatorAt(`${site}/${overlaps}`)(value), `that value matches ${site}/${overlaps} too`).toBe(true);
      }
    },
  );
});

describe.each(ROUTES.map((route) => ({ route, name: `${route.operationId} (${route.method} ${route.path})` })))(
  '$name',
  ({ route }) => {
    if (route.bodyPointer) {
      const bodyPointer = route.bodyPointer;
      it.each(VARIANTS)('%s: the generated answers are what the document says', (variant) => {
        if (variant === 'oneOf') {
          const { runs, wanted, served } = oneOfRuns(route);
          const problems = runs.flatMap((run, index) => {
            const problem = validityProblem(variant, route.operationId, representativeOf(route, run));
            return problem ? [`run ${index}: ${problem}`] : [];
          });
          expect(problems).toEqual([]);
          expect(
            [...wanted].filter((branch) => !served.has(branch)),
            `branches not served in ${MAX_RUNS} runs`,
          ).toEqual([]);
          return;
        }
        const answer = representativeAnswer(variant, route);
        expect(validityProblem(variant, route.operationId, answer) ?? 'as expected').toBe('as expected');
        if (!isFuture(variant)) return;
        // The changes the document allows, alone: still valid.
        const allowed = representativeAnswer(variant, route, true);
        expect(validityProblem('all', route.operationId, allowed) ?? 'valid').toBe('valid');
        expect(JSON.stringify(answer)).toContain(`"${UNKNOWN_PROPERTY}"`);
        // Every number is at a limit of the document.
        const unbounded = Object.values(FUTURE_NUMBERS[variant]);
        const limits = new Set<number>([...unbounded, ...unbounded.map((number) => -number), ...limitsOf(bodyPointer)]);
        const numbers = [...servedValues([{ answer } as Exchange]).numbers];
        expect(numbers.filter((number) => !limits.has(number))).toEqual([]);
        expect(holdsForbiddenChange(allowed)).toBe(false);
      });
    }

    it.each(VARIANTS)('%s: the gateway answers every field', async (variant) => {
      const failures: string[] = [];
      if (variant === 'oneOf') {
        const { runs } = oneOfRuns(route);
        for (const [index, run] of runs.entries()) {
          const failure = await runCase(route, variant, index, run);
          if (failure) failures.push(failure);
        }
        if (failures.length > 0) {
          expect.fail(`${failures.length} of ${runs.length} runs failed; the first:\n${failures[0]}`);
        }
        return;
      }
      const failure = await runCase(route, variant, 0);
      if (failure) expect.fail(failure);
    });
  },
);

/** The route's answer of a oneOf run, fixed for the run's representative request. */
function representativeOf(route: Route, run: Run): unknown {
  const request = representativeRequest(route, run.flavor);
  return caseScenario('oneOf', route, run)(request).body;
}

/** Every minimum and maximum the document gives a number the answer can hold. */
function limitsOf(pointer: string): number[] {
  const limits: number[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const schemaNode = node as Record<string, unknown>;
    if (typeof schemaNode.$ref === 'string') {
      if (seen.has(schemaNode.$ref)) return;
      seen.add(schemaNode.$ref);
      visit(lookup(schemaNode.$ref));
      return;
    }
    for (const key of ['minimum', 'maximum'] as const)
      if (typeof schemaNode[key] === 'number') limits.push(schemaNode[key] as number);
    for (const value of Object.values(schemaNode)) if (typeof value === 'object') visit(value);
  };
  visit(lookup(pointer));
  return limits;
}
