import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.js';
import { connectionType, pageArgs, resolvePageConnection } from '../connection.js';
import { ONE_REST_CALL_FROM_KEY } from '../fan-out.js';
import { checkIdentifier } from '../identifiers.js';
import { InstallationRef } from '../installation.js';
import { IntegrationRef } from '../integration.js';
import { operationDescription, operationParameter } from '../spec.js';
import { type ContentInstallationKind, namesOf, wantsExtended } from './kind.js';
import type { defineContentInstallationNode } from './node.js';

/**
 * Where space or site installations are reached from: an integration's and
 * an installation's lists (one REST call each, `extended=true` only when the
 * content is read beyond its id) and an installation's lookup of one.
 */
export function defineContentInstallationLinks(
  kind: ContentInstallationKind,
  node: ReturnType<typeof defineContentInstallationNode>,
) {
  const { lower, typeName, idField, operations } = namesOf(kind);
  const Connection = connectionType(node.Ref, typeName, `A page of ${lower} installations.`);

  // Both answers are remembered per field and request (lookahead.ts).
  const extendedInConnection = (info: GraphQLResolveInfo): true | undefined =>
    wantsExtended(kind, info, ['edges', 'node']) || wantsExtended(kind, info, ['nodes']) ? true : undefined;

  builder.objectField(IntegrationRef, `${lower}Installations`, (t) =>
    t.field({
      type: Connection,
      nullable: true,
      extensions: ONE_REST_CALL_FROM_KEY,
      description: `${operationDescription(operations.listForIntegration) || `The ${lower} installations of this integration`}.`,
      args: {
        ...pageArgs(t.arg),
        externalId: t.arg.string({
          description: operationParameter(operations.listForIntegration, 'externalId').description,
        }),
      },
      resolve: (integration, args, context, info) => {
        const extended = extendedInConnection(info);
        return resolvePageConnection(
          args,
          (page) =>
            kind.upstream.listForIntegration(context.rest, integration.key[0] ?? '', {
              ...page,
              externalId: args.externalId ?? undefined,
              extended,
            }),
          node.itemOf,
        );
      },
    }),
  );

  builder.objectFields(InstallationRef, (t) => ({
    [`${lower}Installations`]: t.field({
      type: Connection,
      nullable: true,
      extensions: ONE_REST_CALL_FROM_KEY,
      description: operationDescription(operations.listForInstallation),
      args: pageArgs(t.arg),
      resolve: (installation, args, context, info) => {
        const extended = extendedInConnection(info);
        return resolvePageConnection(
          args,
          (page) =>
            kind.upstream.listForInstallation(context.rest, installation.key[0] ?? '', installation.key[1] ?? '', {
              ...page,
              extended,
            }),
          node.itemOf,
        );
      },
    }),
    [`${lower}Installation`]: t.field({
      type: node.Ref,
      nullable: true,
      description: operationDescription(operations.get),
      extensions: ONE_REST_CALL_FROM_KEY,
      args: { [idField]: t.arg.string({ required: true, description: `The unique id of the ${lower}.` }) },
      resolve: (installation, args, context, info) => {
        const id = checkIdentifier(kind.contentIdKind, (args as Record<string, string>)[idField] ?? '', idField);
        return node.Node.link(info, context, [installation.key[0] ?? '', installation.key[1] ?? '', id], 'always');
      },
    }),
  }));

  return { Connection };
}
