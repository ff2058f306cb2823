import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Context } from '../context.js';
import { badUserInput, GatewayError } from '../errors.js';
import { findOperation } from '../openapi/document.js';
import { describeErrors, validatorAt } from '../openapi/validation.js';
import { builder } from './builder.js';

/**
 * What every mutation shares: its input checked against the REST body schema
 * of the spec before any call, the write sent once, and every node loaded
 * before the write forgotten after it (the REST client forgets its reads too),
 * so the payload and later fields read the new state.
 */

builder.mutationType({ description: 'Changes to integrations, installations and their configuration.' });

/**
 * Refuses a body GitBook's API would refuse (patterns, lengths, enums, ranges,
 * required fields), naming the field as the input spells it.
 */
export function checkRestBody(operationId: string, body: unknown, inputNames: Record<string, string> = {}): void {
  const { pointer } = findOperation(operationId);
  const validate = validatorAt(`${pointer}/requestBody/content/application~1json/schema`);
  if (validate(body)) return;
  const renamed = (validate.errors ?? []).map(
    (error): ErrorObject => ({
      ...error,
      instancePath: error.instancePath.replace(/^\/([^/]+)/, (_match, first: string) => `/${inputNames[first] ?? first}`),
      params:
        error.keyword === 'required'
          ? { ...error.params, missingProperty: inputNames[error.params.missingProperty] ?? error.params.missingProperty }
          : error.params,
    }),
  );
  throw badUserInput(describeErrors(renamed, 'input'));
}

/** Runs a mutation's REST write; afterwards no loader serves what was read before it. */
export async function write<T>(context: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    clearAllDataLoaders(context);
  }
}

/** A DELETE that found nothing to delete is a NOT_FOUND for the client. */
export function deleted(found: boolean, what: string): void {
  if (!found) throw new GatewayError('NOT_FOUND', `${what} does not exist.`, 204);
}
