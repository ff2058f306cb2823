import {
  type DefinitionNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Context } from '../context.js';
import { requestRecord } from '../observability/index.js';
import { maxRestCalls } from '../schema/fan-out.js';
import { MAX_JSON_DEPTH } from '../schema/scalars.js';
import { selectionBudget } from '../schema/selection.js';
import type { Limits } from './index.js';
import { checkInputSizes } from './input-size.js';
import { type RateLimits, rateLimitedError } from './rate.js';

/**
 * What an operation may cost, decided before it runs: the size of its
 * argument values with their variables put in place, the selections its
 * fragments expand to, and the REST calls it could make. An operation that
 * would call REST needs a bearer token: without one it is refused whole, so
 * a page that fires anonymous requests at the gateway costs GitBook nothing.
 */

/**
 * Estimates kept per operation and variables, so a client repeating an
 * operation pays for its walk once. Keys are client data: the cache is
 * bounded by the bytes its keys hold, and a long key is not kept at all.
 */
const ESTIMATE_CACHE_BYTES = 4 * 1024 * 1024;
const MAX_VARIABLES_KEY = 8_192;

function refusal(
  message: string,
  code: string,
  status: number,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  // A request error like a validation failure: `status` for graphql-response+json, 200 for json.
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status, spec: true } } });
}

export function operationBudget(limits: Limits, rateLimits?: RateLimits): Plugin {
  const estimates = new LRUCache<string, number>({
    maxSize: ESTIMATE_CACHE_BYTES,
    sizeCalculation: (_estimate, key) => key.length * 2 + 64,
  });
  // Yoga's parse cache hands the same document to every request with the same
  // text; a number names it in the estimates' keys for as long as it lives.
  const operationNumbers = new WeakMap<OperationDefinitionNode, number>();
  let operationCount = 0;
  const inputBudget = { maxBytes: limits.maxInputBytes, maxNodes: limits.maxInputValues, maxDepth: MAX_JSON_DEPTH };

  /** The estimate, or undefined when the variables do not fit their types (execution refuses them). */
  const estimate = (
    schema: GraphQLSchema,
    document: ExecutionArgs['document'],
    operation: OperationDefinitionNode,
    rawVariables: Record<string, unknown>,
  ): number | undefined => {
    let number = operationNumbers.get(operation);
    if (number === undefined) {
      number = ++operationCount;
      operationNumbers.set(operation, number);
    }
    const variablesKey = operation.variableDefinitions?.length ? keyOf(rawVariables) : '';
    const key =
      variablesKey === undefined || variablesKey.length > MAX_VARIABLES_KEY ? undefined : `${number}:${variablesKey}`;
    const cached = key === undefined ? undefined : estimates.get(key);
    if (cached !== undefined) return cached;

    // Defaults applied and values coerced exactly as execution will see them.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
    if (coerced.errors) return undefined;
    // The operation and the fragments it may spread (only on a miss: a repeated request gets its estimate above).
    const definitions = document.definitions.filter(
      (definition: DefinitionNode): definition is OperationDefinitionNode | FragmentDefinitionNode =>
        definition === operation || definition.kind === Kind.FRAGMENT_DEFINITION,
    );
    checkInputSizes(definitions, coerced.coerced, inputBudget);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    const restCalls = maxRestCalls(
      { schema, fragments, variables: coerced.coerced, budget: selectionBudget(limits.maxSelections) },
      operation,
    );
    if (key !== undefined) estimates.set(key, restCalls);
    return restCalls;
  };

  /** Every check, for an operation about to run (a query or mutation) or a subscription about to start. */
  const check = (
    args: ExecutionArgs,
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void,
  ): void | Promise<void> => {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return;
    let restCalls: number | undefined;
    try {
      restCalls = estimate(
        args.schema as GraphQLSchema,
        args.document,
        operation,
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      setResultAndStopExecution({ errors: [error] });
      return;
    }
    if (restCalls === undefined || restCalls === 0) return;
    requestRecord((args.contextValue as unknown as { request: Request }).request).restCallsEstimate += restCalls;
    if (!(args.contextValue as unknown as Context).rest.authenticated) {
      setResultAndStopExecution({
        errors: [
          refusal(
            'This operation calls GitBook API, which needs the caller’s token: send `Authorization: Bearer <token>`.',
            'UNAUTHENTICATED',
            401,
          ),
        ],
      });
      return;
    }
    if (restCalls > limits.maxRestCalls) {
      setResultAndStopExecution({
        errors: [
          refusal(
            `This operation could make up to ${restCalls} calls to GitBook API; the limit is ` +
              `${limits.maxRestCalls}. Ask for smaller pages (first) or fewer nested lists.`,
            'QUERY_TOO_COMPLEX',
            400,
            { restCalls, limit: limits.maxRestCalls },
          ),
        ],
      });
      return;
    }
    if (!rateLimits) return;
    const request = (args.contextValue as unknown as { request: Request }).request;
    return rateLimits.takeRestCalls(rateLimits.callerOf(request, undefined), restCalls).then((refusal) => {
      if (refusal) setResultAndStopExecution({ errors: [rateLimitedError(refusal)] });
    });
  };

  return {
    onExecute: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
    // A subscription's poll and the selection of each event count as a query's would.
    onSubscribe: ({ args, setResultAndStopExecution }) => check(args, setResultAndStopExecution),
  };
}

/** The variables as a cache key; undefined when they cannot be one (nested too deep to stringify). */
function keyOf(variables: Record<string, unknown>): string | undefined {
  try {
    return JSON.stringify(variables);
  } catch {
    return undefined;
  }
}
