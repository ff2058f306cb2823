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
 * the same global IDs their `id` fields give.
 */
function entitiesNamedBy(input: Record<string, unknown>): { typename: string; id: string }[] {
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : undefined);
  const integration = text('integrationName');
  const organization = text('organizationId');
  const installation = text('installationId');
  const named: { typename: string; id: string }[] = [];
  const entity = (typename: string, ...parts: string[]) => {
    try {
      named.push({ typename, id: encodeGlobalId(typename, nodeKey(...parts)) });
    } catch {
      // No URI form (a lone surrogate): no REST entity has it, and the write refuses it.
    }
  };
  if (integration !== undefined) entity('Integration', integration);
  if (organization !== undefined) entity('Organization', organization);
  if (integration !== undefined && installation !== undefined) {
    entity('Installation', integration, installation);
    const space = text('spaceId');
    const site = text('siteId');
    if (space !== undefined) entity('SpaceInstallation', integration, installation, space);
    if (site !== undefined) entity('SiteInstallation', integration, installation, site);
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
          context.changes.push(...entitiesNamedBy(args.input as Record<string, unknown>));
          if (options.changes?.creates) context.changes.push({ typename: options.changes.creates });
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
