import { badUserInput } from '../errors.js';
import { componentSchema, operationParameter } from './spec.js';

/**
 * The REST identifiers a client names (in arguments, in inputs, inside global
 * IDs) and the one check of each kind, made before any call: a value REST
 * would refuse, or one long enough to make a request line no server takes,
 * costs nothing upstream.
 */

const integrationNameSchema = operationParameter('getIntegrationByName', 'integrationName').schema;
export const INTEGRATION_NAME_PATTERN = new RegExp(integrationNameSchema.pattern ?? '');
export const INTEGRATION_NAME_MAX_LENGTH = integrationNameSchema.maxLength ?? 100;

/** Organization and space ids are the spec's `EntityId`. */
export const ENTITY_ID_PATTERN = new RegExp(componentSchema('EntityId').pattern ?? '');

/**
 * The longest id of a kind the spec leaves unbounded (organizations, spaces,
 * installations, events, sites). GitBook's are about 20 characters.
 */
export const MAX_ID_LENGTH = 512;

/** A lone UTF-16 surrogate: text no URL (no UTF-8) can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type IdentifierKind = 'integrationName' | 'entityId' | 'id';

const rules: Record<IdentifierKind, { test: (value: string) => boolean; expected: string }> = {
  integrationName: {
    test: (value) => value.length <= INTEGRATION_NAME_MAX_LENGTH && INTEGRATION_NAME_PATTERN.test(value),
    expected: `match ${INTEGRATION_NAME_PATTERN.source} and be at most ${INTEGRATION_NAME_MAX_LENGTH} characters`,
  },
  entityId: {
    test: (value) => value.length <= MAX_ID_LENGTH && ENTITY_ID_PATTERN.test(value),
    expected: `be a non-empty id of letters, digits, "_" and "-", at most ${MAX_ID_LENGTH} characters`,
  },
  id: {
    test: (value) => value.length <= MAX_ID_LENGTH && value.trim() !== '' && !LONE_SURROGATE.test(value),
    expected: `be a non-empty id of valid Unicode text, at most ${MAX_ID_LENGTH} characters`,
  },
};

export function isIdentifier(kind: IdentifierKind, value: string): boolean {
  return rules[kind].test(value);
}

/** The value when it is an identifier of this kind; BAD_USER_INPUT naming `argument` otherwise. */
export function checkIdentifier(kind: IdentifierKind, value: string, argument: string): string {
  if (!rules[kind].test(value)) throw badUserInput(`${argument} must ${rules[kind].expected}.`);
  return value;
}

export const checkIntegrationName = (value: string, argument = 'integrationName') =>
  checkIdentifier('integrationName', value, argument);

export const checkEntityId = (value: string, argument: string) => checkIdentifier('entityId', value, argument);

export const checkId = (value: string, argument: string) => checkIdentifier('id', value, argument);
