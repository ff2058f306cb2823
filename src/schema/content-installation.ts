import type {
  IntegrationSiteInstallation,
  IntegrationSpaceInstallation,
  Site,
  Space,
} from '@gitbook/api';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { type ContentInstallationOperations, contentId } from '../upstream/content-installations.js';
import { builder } from './builder.js';
import { lookupUnlessOnly, ONE_REST_CALL } from './fan-out.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { encodeGlobalId, keyParts, nodeKey } from './global-id.js';
import { checkRestBody, deleted, write } from './mutation.js';
import { installationLink, InstallationRef, type InstallationSource } from './installation.js';
import { BELOW_INTEGRATION, IntegrationRef, integrationLink } from './integration.js';
import { selectsBeyondId } from './lookahead.js';
import { loadEach, registerNode } from './node.js';
import { InstallationStatus } from './organization.js';
import { componentSchema, operationDescription, operationParameter, propertiesOf, requestBodySchema } from './spec.js';
import { restBody, specFields, specInputFields, specPropertyType } from './spec-types.js';
import { checkId, checkIntegrationName } from './identifiers.js';

type Types = typeof builder.$inferSchemaTypes;

/**
 * Space installations and site installations are the same thing on two kinds
 * of content, and REST mirrors them route for route. This builds either one:
 * its node type, its content type (`Space`/`Site`), its connection and its
 * links from Integration and Installation. space-installation.ts and
 * site-installation.ts say which.
 */

type Item = IntegrationSpaceInstallation | IntegrationSiteInstallation;

/**
 * The content an installation is on. REST gives only its id unless asked for
 * `extended=true`; `load` fetches the extended form when a field needs it.
 */
export interface ContentSource {
  id: string;
  object: Space | Site | undefined;
  load: (context: Context) => Promise<Space | Site>;
}

export interface ContentInstallationOptions {
  /** `Space` or `Site`: the GraphQL and OpenAPI name of the content. */
  content: 'Space' | 'Site';
  /** The REST schema of the installation. */
  restSchema: 'IntegrationSpaceInstallation' | 'IntegrationSiteInstallation';
  contentOf: (item: Item) => string | Space | Site;
  checkContentId: (value: string, argument: string) => string;
  /** The kind's REST operations (upstream/space-installations.ts or site-installations.ts). */
  upstream: ContentInstallationOperations;
  /** Operation ids, for descriptions and body schemas. */
  operations: {
    listForIntegration: string;
    listForInstallation: string;
    get: string;
    install: string;
    update: string;
    uninstall: string;
  };
  /** Properties of the content to expose. */
  contentProperties: string[];
  contentDescriptions: Record<string, string>;
}

export function defineContentInstallation(options: ContentInstallationOptions) {
  const content = options.content;
  const lower = content.toLowerCase() as 'space' | 'site';
  const typeName = `${content}Installation`;
  const idField = `${lower}Id`;

  const contentSource = (item: Item): ContentSource => {
    const value = options.contentOf(item);
    const id = contentId(value);
    return {
      id,
      object: typeof value === 'string' ? undefined : value,
      load: async (context) =>
        options.contentOf(await options.upstream.get(context.rest, item.integration, item.installation, id, true)) as Space | Site,
    };
  };

  /** Whether the query reads the content beyond its id, below `path` from the current field. */
  const wantsExtended = (info: GraphQLResolveInfo, path: string[]) => selectsBeyondId(info, path, typeName, lower);
  // graphql-js hands every item of a list the same fieldNodes array for the
  // same field in one execution: the answer is computed once per list.
  const inConnectionByField = new WeakMap<GraphQLResolveInfo['fieldNodes'], boolean>();
  const inConnection = (info: GraphQLResolveInfo) => {
    let wanted = inConnectionByField.get(info.fieldNodes);
    if (wanted === undefined) {
      wanted = wantsExtended(info, ['edges', 'node']) || wantsExtended(info, ['nodes']);
      inConnectionByField.set(info.fieldNodes, wanted);
    }
    return wanted;
  };

  const ContentUrls = specPropertyType(`${content}Urls`, content, 'urls');
  const ContentRef = builder.objectRef<ContentSource>(content);
  ContentRef.implement({
    description: `The ${lower} an integration is installed on. Fields other than \`id\` come from the REST \`extended=true\` form, which is asked for only when they are selected.`,
    fields: (t) => ({
      id: t.exposeID('id', { description: `Unique identifier of the ${lower}.` }),
      ...(specFields(t, content, componentSchema(content), options.contentProperties, {
        types: { urls: ContentUrls },
        descriptions: options.contentDescriptions,
        fetched: true,
        // Synchronous when the list brought the extended object (the usual case).
        read: (source: ContentSource, restName, context) =>
          source.object
            ? (source.object as unknown as Record<string, unknown>)[restName]
            : source.load(context).then((object) => (object as unknown as Record<string, unknown>)[restName]),
      }) as {}),
    }),
  });

  const fetchContentInstallation = (key: string, context: Context, extended: boolean) => {
    const [integrationName = '', installationId = '', id = ''] = keyParts(key);
    return options.upstream.get(context.rest, integrationName, installationId, id, extended);
  };

  const Ref = builder.loadableNodeRef<Item, string, string, string>(typeName, {
    id: {
      resolve: (item: Item) => nodeKey(item.integration, item.installation, contentId(options.contentOf(item))),
    },
    ...loadEach((key: string, context) => fetchContentInstallation(key, context, false)),
  });

  const baseProperties = propertiesOf(componentSchema(options.restSchema));
  Ref.implement({
    description: `The installation of an integration on one ${lower}, with the configuration of the integration for that ${lower}.`,
    fields: (t) => ({
      [idField]: t.string({
        description: `The unique id of the ${lower}.`,
        resolve: (item) => contentId(options.contentOf(item)),
      }),
      [lower]: t.field({
        type: ContentRef,
        nullable: true,
        description: baseProperties.properties[lower]?.description?.split('.')[0] ?? `The ${lower}.`,
        resolve: (item) => contentSource(item),
      }),
      integration: t.field({
        type: IntegrationRef,
        nullable: true,
        extensions: lookupUnlessOnly(...BELOW_INTEGRATION),
        description: 'The installed integration (null, with an error, if it cannot be fetched).',
        resolve: (item, _args, _context, info) => integrationLink(info, item.integration),
      }),
      installation: t.field({
        type: InstallationRef,
        nullable: true,
        extensions: lookupUnlessOnly('id', 'installationId'),
        description: `The organization-level installation this ${lower} installation belongs to.`,
        resolve: (item, _args, _context, info) => installationLink(info, item.integration, item.installation),
      }),
      ...(specFields(t, typeName, componentSchema(options.restSchema), ['status', 'configuration', 'externalIds', 'urls'], {
        types: {
          status: InstallationStatus,
          urls: specPropertyType(`${typeName}Urls`, options.restSchema, 'urls'),
        },
        descriptions: { status: `The status of the installation on this ${lower}.` },
      }) as {}),
    }),
  });

  const Connection = connectionType(Ref, typeName, `A page of ${lower} installations.`);

  builder.objectField(IntegrationRef, `${lower}Installations`, (t) =>
    t.field({
      type: Connection,
      nullable: true,
      extensions: ONE_REST_CALL,
      description: `${operationDescription(options.operations.listForIntegration) || `The ${lower} installations of this integration`}.`,
      args: {
        ...pageArgs(t.arg),
        externalId: t.arg.string({
          description: operationParameter(options.operations.listForIntegration, 'externalId').description,
        }),
      },
      resolve: (integration, args, context, info) => {
        const extended = inConnection(info) ? (true as const) : undefined;
        return resolvePageConnection(
          args,
          (page) =>
            options.upstream.listForIntegration(context.rest, integration.name, {
              ...page,
              externalId: args.externalId ?? undefined,
              extended,
            }),
          (item) => item,
        );
      },
    }),
  );

  builder.objectFields(InstallationRef, (t) => ({
    [`${lower}Installations`]: t.field({
      type: Connection,
      nullable: true,
      extensions: ONE_REST_CALL,
      description: operationDescription(options.operations.listForInstallation),
      args: pageArgs(t.arg),
      resolve: (installation: InstallationSource, args, context, info) => {
        const extended = inConnection(info) ? (true as const) : undefined;
        return resolvePageConnection(
          args,
          (page) =>
            options.upstream.listForInstallation(context.rest, installation.integrationName, installation.id, {
              ...page,
              extended,
            }),
          (item) => item,
        );
      },
    }),
    [`${lower}Installation`]: t.field({
      type: Ref,
      nullable: true,
      description: operationDescription(options.operations.get),
      extensions: ONE_REST_CALL,
      args: { [idField]: t.arg.string({ required: true, description: `The unique id of the ${lower}.` }) },
      resolve: (installation: InstallationSource, args, context, info) =>
        options.upstream.get(context.rest,
          installation.integrationName,
          installation.id,
          options.checkContentId((args as Record<string, string>)[idField] ?? '', idField),
          wantsExtended(info, []),
        ),
    }),
  }));

  // node(id) on this type: the extended form at once when the query reads the content.
  registerNode(Ref, (key, context, info) => fetchContentInstallation(key, context, wantsExtended(info, [])));

  // --- Mutations: install on, update and uninstall from one space or site ---

  const inputFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
    integrationName: t.string({ required: true, description: 'Name of the integration.' }),
    installationId: t.string({ required: true, description: 'Identifier of the organization-level installation.' }),
    [idField]: t.string({ required: true, description: `The unique id of the ${lower}.` }),
  });
  const checkInput = (input: Record<string, unknown>) => ({
    name: checkIntegrationName(String(input.integrationName)),
    installationId: checkId(String(input.installationId), 'installationId'),
    contentId: options.checkContentId(String(input[idField]), idField),
  });
  const payloadField = `${lower}Installation`;
  const payload = (name: string, description: string) => ({
    name: `${name}Payload`,
    description,
    outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { item: Item }>) => ({
      [payloadField]: t.field({
        type: Ref,
        description: `The ${lower} installation, as it is after the change.`,
        resolve: (result) => result.item,
      }),
    }),
  });
  // A payload that reads the content beyond its id gets it from the write's own answer.
  const payloadWantsExtended = (info: GraphQLResolveInfo) => wantsExtended(info, [payloadField]);

  builder.relayMutationField(
    `installIntegrationOn${content}`,
    { description: `Input of installIntegrationOn${content}.`, inputFields },
    {
      nullable: true,
      extensions: ONE_REST_CALL,
      description: `${operationDescription(options.operations.install)}`,
      resolve: async (_root, { input }, context, info) => {
        const { name, installationId, contentId } = checkInput(input);
        const item = await write(context, () =>
          options.upstream.install(context.rest, name, installationId, contentId, payloadWantsExtended(info)),
        );
        return { item };
      },
    },
    payload(`InstallIntegrationOn${content}`, `The new ${lower} installation.`),
  );

  const updateProperties = ['externalIds', 'configuration'] as const;
  builder.relayMutationField(
    `update${typeName}`,
    {
      description: `Input of update${typeName}: the fields to change; absent ones are left as they are.`,
      inputFields: (t) => ({
        ...inputFields(t),
        ...(specInputFields(t, `Update${typeName}`, requestBodySchema(options.operations.update), updateProperties, {
          descriptions: { configuration: `The new configuration of the integration for this ${lower}.` },
        }) as {}),
      }),
    },
    {
      nullable: true,
      extensions: ONE_REST_CALL,
      description: `${operationDescription(options.operations.update)}`,
      resolve: async (_root, { input }, context, info) => {
        const { name, installationId, contentId } = checkInput(input);
        const body = restBody(input as Record<string, unknown>, updateProperties);
        checkRestBody(options.operations.update, body);
        const item = await write(context, () =>
          options.upstream.update(context.rest, name, installationId, contentId, body, payloadWantsExtended(info)),
        );
        return { item };
      },
    },
    payload(`Update${typeName}`, `The updated ${lower} installation.`),
  );

  builder.relayMutationField(
    `uninstallIntegrationFrom${content}`,
    { description: `Input of uninstallIntegrationFrom${content}.`, inputFields },
    {
      nullable: true,
      extensions: ONE_REST_CALL,
      description: `Uninstalls an integration from one ${lower}; the organization-level installation stays.`,
      resolve: async (_root, { input }, context) => {
        const { name, installationId, contentId } = checkInput(input);
        deleted(
          await write(context, () => options.upstream.uninstall(context.rest, name, installationId, contentId)),
          `The installation of "${name}" on ${lower} "${contentId}"`,
        );
        return { deletedId: encodeGlobalId(typeName, nodeKey(name, installationId, contentId)) };
      },
    },
    {
      name: `UninstallIntegrationFrom${content}Payload`,
      description: `What was uninstalled from the ${lower}.`,
      outputFields: (t) => ({
        [`deleted${typeName}Id`]: t.id({
          description: `The global ID the removed ${lower} installation had: drop it from client caches.`,
          resolve: (result) => result.deletedId,
        }),
      }),
    },
  );

  return { Ref, ContentRef, Connection };
}
