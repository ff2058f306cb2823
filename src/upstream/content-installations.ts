import type {
  IntegrationSiteInstallation,
  IntegrationSpaceInstallation,
  UpdateIntegrationSpaceInstallation,
} from '@gitbook/api';
import { type RestClient, restPath } from './client.js';
import type { OperationId, Page, ParamOf } from './types.js';

/**
 * What space and site installations share: the REST answers differ only in
 * whether `space`/`site` is an id or (with `extended=true`) the whole object.
 */

export type ContentKind = 'spaces' | 'sites';

/** The operationIds of each kind: the same six routes, named after spaces or sites. */
export const CONTENT_INSTALLATION_OPERATIONS = {
  spaces: {
    listForIntegration: 'listIntegrationSpaceInstallations',
    listForInstallation: 'listIntegrationInstallationSpaces',
    get: 'getIntegrationSpaceInstallation',
    install: 'installIntegrationOnSpace',
    update: 'updateIntegrationSpaceInstallation',
    uninstall: 'uninstallIntegrationFromSpace',
  },
  sites: {
    listForIntegration: 'listIntegrationSiteInstallations',
    listForInstallation: 'listIntegrationInstallationSites',
    get: 'getIntegrationSiteInstallation',
    install: 'installIntegrationOnSite',
    update: 'updateIntegrationSiteInstallation',
    uninstall: 'uninstallIntegrationFromSite',
  },
} as const satisfies Record<ContentKind, Record<string, OperationId>>;

/** `extended=true` is sent only when wanted, so each lookup has one canonical URL. */
function extendedQuery(extended: boolean): { extended?: true } {
  return extended ? { extended: true } : {};
}

export function contentId(content: string | { id: string }): string {
  return typeof content === 'string' ? content : content.id;
}

function contentInstallationPath(
  kind: ContentKind,
  integrationName: string,
  installationId: string,
  contentId: string,
): string {
  return kind === 'spaces'
    ? restPath`/integrations/${integrationName}/installations/${installationId}/spaces/${contentId}`
    : restPath`/integrations/${integrationName}/installations/${installationId}/sites/${contentId}`;
}

/**
 * A listed item is what its lookup answers. An extended item also answers the
 * plain lookup: its `space`/`site` object carries the id the plain one would.
 */
function primeContentInstallations(
  rest: RestClient,
  kind: ContentKind,
  items: readonly (IntegrationSpaceInstallation | IntegrationSiteInstallation)[],
  extended: boolean,
): void {
  rest.primeLater(() => {
    for (const item of items) {
      const content = 'space' in item ? item.space : item.site;
      const path = contentInstallationPath(kind, item.integration, item.installation, contentId(content));
      rest.prime(path, undefined, item);
      if (extended) rest.prime(path, extendedQuery(true), item);
    }
  });
}

/** A write that answers the space/site installation it made or changed; primes its lookups. */
async function sendContentInstallation<Item extends IntegrationSpaceInstallation | IntegrationSiteInstallation>(
  rest: RestClient,
  kind: ContentKind,
  write: 'install' | 'update',
  path: string,
  body: unknown,
  extended: boolean,
): Promise<Item> {
  const method = write === 'install' ? 'POST' : 'PATCH';
  const item = await rest.send<Item>(CONTENT_INSTALLATION_OPERATIONS[kind][write], method, path, {
    body,
    query: extendedQuery(extended),
    shape: 'object',
  });
  primeContentInstallations(rest, kind, [item], extended);
  return item;
}

type Item = IntegrationSpaceInstallation | IntegrationSiteInstallation;

/** The query of a space/site installations list; the spec gives both kinds the same parameters. */
type ContentListQuery = ParamOf<'listIntegrationSpaceInstallations', 1>;

/**
 * The six REST operations of one kind of content installation. REST mirrors
 * them route for route; only the install body names the content differently
 * (`{ space }` for a space, `{ siteId }` for a site).
 */
export function contentInstallationOperations<T extends Item>(
  kind: ContentKind,
  installBody: (contentId: string) => Record<string, string>,
) {
  const listPath = (integrationName: string, installationId?: string) =>
    installationId === undefined
      ? `${restPath`/integrations/${integrationName}`}/${kind}`
      : `${restPath`/integrations/${integrationName}/installations/${installationId}`}/${kind}`;

  const list = async (
    rest: RestClient,
    operation: 'listForIntegration' | 'listForInstallation',
    path: string,
    query: ContentListQuery,
  ): Promise<Page<T>> => {
    const page = await rest.get<Page<T>>(CONTENT_INSTALLATION_OPERATIONS[kind][operation], 'page', path, query);
    primeContentInstallations(rest, kind, page.items, query.extended === true);
    return page;
  };

  return {
    /** GET /integrations/{integrationName}/<kind> */
    listForIntegration: (rest: RestClient, integrationName: string, query: ContentListQuery) =>
      list(rest, 'listForIntegration', listPath(integrationName), query),
    /** GET /integrations/{integrationName}/installations/{installationId}/<kind> */
    listForInstallation: (rest: RestClient, integrationName: string, installationId: string, query: ContentListQuery) =>
      list(rest, 'listForInstallation', listPath(integrationName, installationId), query),
    /** GET /integrations/{integrationName}/installations/{installationId}/<kind>/{contentId} */
    get: async (
      rest: RestClient,
      integrationName: string,
      installationId: string,
      contentId: string,
      extended: boolean,
    ): Promise<T> => {
      const path = contentInstallationPath(kind, integrationName, installationId, contentId);
      const item = await rest.get<T>(
        CONTENT_INSTALLATION_OPERATIONS[kind].get,
        'object',
        path,
        extendedQuery(extended),
      );
      if (extended) primeContentInstallations(rest, kind, [item], false);
      return item;
    },
    /** POST /integrations/{integrationName}/installations/{installationId}/<kind> */
    install: (
      rest: RestClient,
      integrationName: string,
      installationId: string,
      contentId: string,
      extended: boolean,
    ) =>
      sendContentInstallation<T>(
        rest,
        kind,
        'install',
        listPath(integrationName, installationId),
        installBody(contentId),
        extended,
      ),
    /** PATCH /integrations/{integrationName}/installations/{installationId}/<kind>/{contentId} */
    update: (
      rest: RestClient,
      integrationName: string,
      installationId: string,
      contentId: string,
      body: UpdateIntegrationSpaceInstallation,
      extended: boolean,
    ) =>
      sendContentInstallation<T>(
        rest,
        kind,
        'update',
        contentInstallationPath(kind, integrationName, installationId, contentId),
        body,
        extended,
      ),
    /** DELETE /integrations/{integrationName}/installations/{installationId}/<kind>/{contentId}: false if none. */
    uninstall: (rest: RestClient, integrationName: string, installationId: string, contentId: string) =>
      rest.delete(
        CONTENT_INSTALLATION_OPERATIONS[kind].uninstall,
        contentInstallationPath(kind, integrationName, installationId, contentId),
      ),
  };
}

export type ContentInstallationOperations = ReturnType<typeof contentInstallationOperations<Item>>;

/**
 * The space installation operations: listIntegrationSpaceInstallations,
 * listIntegrationInstallationSpaces, getIntegrationSpaceInstallation,
 * installIntegrationOnSpace (body `{ space }`), updateIntegrationSpaceInstallation,
 * uninstallIntegrationFromSpace.
 */
export const spaceInstallations = contentInstallationOperations<IntegrationSpaceInstallation>('spaces', (spaceId) => ({
  space: spaceId,
}));

/**
 * The site installation operations: listIntegrationSiteInstallations,
 * listIntegrationInstallationSites, getIntegrationSiteInstallation,
 * installIntegrationOnSite (body `{ siteId }`), updateIntegrationSiteInstallation,
 * uninstallIntegrationFromSite.
 */
export const siteInstallations = contentInstallationOperations<IntegrationSiteInstallation>('sites', (siteId) => ({
  siteId,
}));
