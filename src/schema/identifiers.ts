import { badUserInput } from '../errors.js';
import { componentSchema, operationParameter } from './spec.js';

/**
 * Checks on arguments that would otherwise make a REST request the API must
 * reject. They run before any call, so a bad argument costs nothing upstream.
 */

const integrationNameSchema = operationParameter('getIntegrationByName', 'integrationName').schema;
export const INTEGRATION_NAME_PATTERN = new RegExp(integrationNameSchema.pattern ?? '');
export const INTEGRATION_NAME_MAX_LENGTH = integrationNameSchema.maxLength ?? Number.POSITIVE_INFINITY;

export function isIntegrationName(name: string): boolean {
  return INTEGRATION_NAME_PATTERN.test(name) && name.length <= INTEGRATION_NAME_MAX_LENGTH;
}

export function checkIntegrationName(name: string, argument = 'integrationName'): string {
  if (!isIntegrationName(name)) {
    throw badUserInput(
      `${argument} must match ${INTEGRATION_NAME_PATTERN.source} and be at most ${INTEGRATION_NAME_MAX_LENGTH} characters.`,
    );
  }
  return name;
}

/** A lone UTF-16 surrogate: text no URL (no UTF-8) can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Identifiers the spec leaves free-form (installation, event, site ids). */
export const MAX_ID_LENGTH = 512;

export function checkId(value: string, argument: string): string {
  if (value.trim() === '') throw badUserInput(`${argument} must not be empty.`);
  if (value.length > MAX_ID_LENGTH) throw badUserInput(`${argument} must be at most ${MAX_ID_LENGTH} characters.`);
  if (LONE_SURROGATE.test(value)) throw badUserInput(`${argument} is not valid Unicode text.`);
  return value;
}

/** Organization and space ids are the spec's `EntityId`. */
export const ENTITY_ID_PATTERN = new RegExp(componentSchema('EntityId').pattern ?? '');
export function checkEntityId(value: string, argument: string): string {
  if (!ENTITY_ID_PATTERN.test(value)) {
    throw badUserInput(`${argument} must be a non-empty id of letters, digits, "_" and "-".`);
  }
  return value;
}
