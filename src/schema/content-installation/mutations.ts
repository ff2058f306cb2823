import type { UpdateIntegrationSpaceInstallation } from '@gitbook/api';
import type { GraphQLResolveInfo } from 'graphql';
import type { Types } from '../builder.js';
import { encodeGlobalId, nodeKey } from '../global-id.js';
import { checkId, checkIdentifier, checkIntegrationName } from '../identifiers.js';
import { checkRestBody, defineMutation, deleted } from '../mutation.js';
import type { Known } from '../node.js';
import { operationDescription, requestBodySchema } from '../spec.js';
import { restBody, specInputFields } from '../spec-types.js';
import { type ContentInstallationItem, type ContentInstallationKind, namesOf, wantsExtended } from './kind.js';
import type { defineContentInstallationNode } from './node.js';

/** Installing on, updating and uninstalling from one space or site. */
export function defineContentInstallationMutations(
  kind: ContentInstallationKind,
  node: ReturnType<typeof defineContentInstallationNode>,
) {
  const { lower, typeName, idField, operations } = namesOf(kind);
  const content = kind.content;

  const inputFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
    integrationName: t.string({ required: true, description: 'Name of the integration.' }),
    installationId: t.string({ required: true, description: 'Identifier of the organization-level installation.' }),
    [idField]: t.string({ required: true, description: `The unique id of the ${lower}.` }),
  });
  const checkInput = (input: Record<string, unknown>) => ({
    name: checkIntegrationName(String(input.integrationName)),
    installationId: checkId(String(input.installationId), 'installationId'),
    contentId: checkIdentifier(kind.contentIdKind, String(input[idField]), idField),
  });

  const payloadField = `${lower}Installation`;
  const payload = (description: string) => ({
    description,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { item: Known<ContentInstallationItem> }>) => ({
      [payloadField]: t.field({
        type: node.Ref,
        description: `The ${lower} installation, as it is after the change.`,
        resolve: (result) => result.item,
      }),
    }),
  });
  // A payload that reads the content beyond its id gets it from the write's own answer.
  const payloadWantsExtended = (info: GraphQLResolveInfo) => wantsExtended(kind, info, [payloadField]);

  defineMutation(`installIntegrationOn${content}`, {
    changes: { creates: typeName },
    description: operationDescription(operations.install),
    input: { description: `Input of installIntegrationOn${content}.`, fields: inputFields },
    payload: payload(`The new ${lower} installation.`),
    write: async (input, context, info) => {
      const { name, installationId, contentId } = checkInput(input);
      const item = await kind.upstream.install(
        context.rest,
        name,
        installationId,
        contentId,
        payloadWantsExtended(info),
      );
      return { item: node.itemOf(item) };
    },
  });

  const updateProperties = ['externalIds', 'configuration'] as const;
  defineMutation(`update${typeName}`, {
    description: operationDescription(operations.update),
    input: {
      description: `Input of update${typeName}: the fields to change; absent ones are left as they are.`,
      fields: (t) => ({
        ...inputFields(t),
        ...specInputFields(t, `Update${typeName}`, requestBodySchema(operations.update), updateProperties, {
          descriptions: { configuration: `The new configuration of the integration for this ${lower}.` },
        }),
      }),
    },
    payload: payload(`The updated ${lower} installation.`),
    write: async (input, context, info) => {
      const { name, installationId, contentId } = checkInput(input);
      const body = restBody(input, updateProperties) as UpdateIntegrationSpaceInstallation;
      checkRestBody(operations.update, body);
      const item = await kind.upstream.update(
        context.rest,
        name,
        installationId,
        contentId,
        body,
        payloadWantsExtended(info),
      );
      return { item: node.itemOf(item) };
    },
  });

  defineMutation(`uninstallIntegrationFrom${content}`, {
    description: `Uninstalls an integration from one ${lower}; the organization-level installation stays.`,
    input: { description: `Input of uninstallIntegrationFrom${content}.`, fields: inputFields },
    payload: {
      description: `What was uninstalled from the ${lower}.`,
      fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { deletedId: string }>) => ({
        [`deleted${typeName}Id`]: t.id({
          description: `The global ID the removed ${lower} installation had: drop it from client caches.`,
          resolve: (result) => result.deletedId,
        }),
      }),
    },
    write: async (input, context) => {
      const { name, installationId, contentId } = checkInput(input);
      deleted(
        await kind.upstream.uninstall(context.rest, name, installationId, contentId),
        `The installation of "${name}" on ${lower} "${contentId}"`,
      );
      return { deletedId: encodeGlobalId(typeName, nodeKey(name, installationId, contentId)) };
    },
  });
}
