import type { FieldMap, InputFieldMap, InputShapeFromFields } from '@pothos/core';
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { badUserInput, GatewayError } from '../errors.js';
import { findOperation } from '../openapi/document.js';
import { describeErrors, validatorAt } from '../openapi/validation.js';
import { builder, type Types } from './builder.js';
import { ONE_REST_CALL } from './fan-out.js';
import { encodeGlobalId, nodeKey } from './global-id.js';
import { type IdentifierKind, isIdentifier } from './identifiers.js';

/**
 * What every mutation shares: one `input`, one REST write sent once (the
 * REST client forgets what the request read before it), and a payload made
 * from the write's own answer. The input is checked against the REST body
 * schema of the spec before any call.
 */

builder.mutationType({ description: 'Changes to integrations, installations and their configuration.' });

const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export interface MutationOptions<Input extends InputFieldMap, Payload extends object> {
  /** What the mutation does, naming its REST route. */
  description: string;
  /** `<Name>Input`: the REST identifiers and body fields. */
  input: { description: string; fields: (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => Input };
  /** `<Name>Payload`. */
  payload: { description: string; fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, Payload>) => FieldMap };
  /** Checks the input, makes the one REST write, and answers with the payload. */
  write: (input: InputShapeFromFields<Input>, context: Context, info: GraphQLResolveInfo) => Promise<Payload>;
  /**
   * What the write changes, for the response cache: by default the entities
   * its input names; `creates` adds a type whose lists gain an item; `false`
   * for a call that changes nothing a query reads (a render, a token).
   */
  changes?: { creates?: string } | false;
}

/**
 * The entities an input names, by the identifiers REST addresses them with:
 * the same global IDs their `id` fields give. An identifier REST would refuse
 * (the write refuses it before any call) names nothing, so a refused input
 * invalidates nothing, whatever it holds.
 */
function entitiesNamedBy(input: Record<string, unknown>): { typename: string; id: string }[] {
  const kinds: Record<string, IdentifierKind> = {
    integrationName: 'integrationName',
    organizationId: 'entityId',
    installationId: 'id',
    spaceId: 'entityId',
    siteId: 'id',
  };
  for (const [name, kind] of Object.entries(kinds)) {
    const value = input[name];
    if (value !== undefined && value !== null && !(typeof value === 'string' && isIdentifier(kind, value))) return [];
  }
  const { integrationName, organizationId, installationId, spaceId, siteId } = input as Record<
    string,
    string | undefined
  >;
  const entity = (typename: string, ...parts: string[]) => ({
    typename,
    id: encodeGlobalId(typename, nodeKey(...parts)),
  });
  const named: { typename: string; id: string }[] = [];
  if (integrationName) named.push(entity('Integration', integrationName));
  if (organizationId) named.push(entity('Organization', organizationId));
  if (integrationName && installationId) {
    named.push(entity('Installation', integrationName, installationId));
    if (spaceId) named.push(entity('SpaceInstallation', integrationName, installationId, spaceId));
    if (siteId) named.push(entity('SiteInstallation', integrationName, installationId, siteId));
  }
  return named;
}

/**
 * A mutation field: nullable (a failed write nulls it, with its error), one
 * REST call in the fan-out estimate.
 */
export function defineMutation<Input extends InputFieldMap, Payload extends object>(
  name: string,
  options: MutationOptions<Input, Payload>,
): void {
  builder.relayMutationField(
    name,
    { description: options.input.description, inputFields: options.input.fields },
    {
      nullable: true,
      extensions: ONE_REST_CALL,
      description: options.description,
      // Pothos types `args` and the result from the field's generics, which a helper cannot name.
      resolve: ((
        _root: unknown,
        args: { input: InputShapeFromFields<Input> },
        context: Context,
        info: GraphQLResolveInfo,
      ) => {
        // Recorded before the write: one that fails may still have happened (a timeout).
        if (options.changes !== false) {
          const named = entitiesNamedBy(args.input as Record<string, unknown>);
          context.changes.push(...named);
          // A new item of a list: only for an input that names what it writes to.
          if (options.changes?.creates && named.length > 0) context.changes.push({ typename: options.changes.creates });
        }
        return options.write(args.input, context, info);
      }) as never,
    },
    {
      name: `${capitalize(name)}Payload`,
      description: options.payload.description,
      outputFields: options.payload.fields as never,
    },
  );
}

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
      instancePath: error.instancePath.replace(
        /^\/([^/]+)/,
        (_match, first: string) => `/${inputNames[first] ?? first}`,
      ),
      params:
        error.keyword === 'required'
          ? {
              ...error.params,
              missingProperty: inputNames[error.params.missingProperty] ?? error.params.missingProperty,
            }
          : error.params,
    }),
  );
  throw badUserInput(describeErrors(renamed, 'input'));
}

/** A DELETE that found nothing to delete is a NOT_FOUND for the client. */
export function deleted(found: boolean, what: string): void {
  if (!found) throw new GatewayError('NOT_FOUND', `${what} does not exist.`, 204);
}
