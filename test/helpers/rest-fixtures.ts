import type { ContentKitRenderOutput, Integration, IntegrationInstallation } from '@gitbook/api';
import { DEMO_TOKEN, SEEDED_USERS } from '../../src/simulator/index.js';
import type { GraphQLResponse, Harness, RestCall } from './harness.js';

/**
 * What the REST API answers, read straight from the simulator, so tests derive
 * their expectations instead of hard-coding them; and the shape of the REST
 * calls the gateway is expected to make.
 */

export const TOKENS = Object.fromEntries(
  Object.entries(SEEDED_USERS).map(([handle, user]) => [handle, user.token]),
) as Record<keyof typeof SEEDED_USERS, string>;

export const bearer = (token: string): string => `Bearer ${token}`;

export type RestQuery = Record<string, string | number | boolean>;

function withQuery(path: string, query: RestQuery): string {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
  return search === '' ? path : `${path}?${search}`;
}

/**
 * A GET sent to the simulator directly, not through the gateway. Its request
 * is taken back out of the simulator's record, so `h.calls()` still lists only
 * what the gateway sent.
 */
export async function restAnswer<T = any>(
  h: Harness,
  path: string,
  query: RestQuery = {},
  token: string = DEMO_TOKEN,
): Promise<{ status: number; body: T }> {
  const before = h.simulator.requests.length;
  const response = await fetch(h.simulator.url + withQuery(path, query), {
    headers: { authorization: bearer(token) },
  });
  const text = await response.text();
  h.simulator.requests.splice(before);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The body of a successful GET on the simulator (see `restAnswer`). */
export async function rest<T = any>(
  h: Harness,
  path: string,
  query: RestQuery = {},
  token: string = DEMO_TOKEN,
): Promise<T> {
  const { status, body } = await restAnswer<T>(h, path, query, token);
  if (status !== 200) throw new Error(`GET ${withQuery(path, query)} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Every item of a paginated REST list, following `next`. */
export async function restAll<T = any>(
  h: Harness,
  path: string,
  query: RestQuery = {},
  token: string = DEMO_TOKEN,
): Promise<T[]> {
  const items: T[] = [];
  let page: string | undefined;
  for (;;) {
    const body = await rest<{ items: T[]; next?: { page: string } }>(
      h,
      path,
      { ...query, limit: 1000, ...(page ? { page } : {}) },
      token,
    );
    items.push(...body.items);
    page = body.next?.page;
    if (!page) return items;
  }
}

/** The GET the gateway is expected to have sent (compare with `h.calls()`). */
export function expectedGet(
  path: string,
  query: Record<string, string> = {},
  options: { token?: string; status?: number } = {},
): RestCall {
  return {
    method: 'GET',
    path,
    query,
    authorization: bearer(options.token ?? DEMO_TOKEN),
    body: undefined,
    status: options.status ?? 200,
  };
}

/** `space:views:read` → `SPACE_VIEWS_READ`, `visitor-auth` → `VISITOR_AUTH`, `internalDocs` → `INTERNAL_DOCS`. */
export function allCaps(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** A REST property as GraphQL shows it: absent becomes null. */
export const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** The errors of a response, reduced to what a client branches on. */
export function errorSummary(
  response: GraphQLResponse,
): { path: (string | number)[] | undefined; code: unknown; status: unknown }[] {
  return (response.errors ?? []).map((error) => ({
    path: error.path,
    code: error.extensions?.code,
    status: error.extensions?.status,
  }));
}

/** A REST integration's own fields as the schema shows them: camelCased, enums in ALL_CAPS, absent → null. */
export function expectedIntegrationFields(integration: Integration) {
  const configurations = integration.configurations;
  return {
    name: integration.name,
    version: integration.version,
    title: integration.title,
    description: orNull(integration.description),
    summary: orNull(integration.summary),
    previewImages: integration.previewImages,
    target: allCaps(integration.target),
    verified: integration.verified,
    visibility: allCaps(integration.visibility),
    scopes: integration.scopes.map(allCaps),
    categories: integration.categories.map(allCaps),
    blocks:
      integration.blocks?.map((block) => ({
        id: block.id,
        title: block.title,
        description: orNull(block.description),
        icon: orNull(block.icon),
        urlUnfurl: orNull(block.urlUnfurl),
        markdown: orNull(block.markdown),
      })) ?? null,
    contentSources:
      integration.contentSources?.map((source) => ({
        id: source.id,
        title: source.title,
        description: orNull(source.description),
        icon: orNull(source.icon),
        configuration: source.configuration,
      })) ?? null,
    configurations: configurations
      ? {
          account: orNull(configurations.account),
          space: orNull(configurations.space),
          site: orNull(configurations.site),
        }
      : null,
    externalLinks: integration.externalLinks.map((link) => ({ url: link.url, label: link.label })),
    urls: {
      location: integration.urls.location,
      app: integration.urls.app,
      icon: orNull(integration.urls.icon),
      assets: integration.urls.assets,
      publicEndpoint: integration.urls.publicEndpoint,
      publicContentEndpoint: integration.urls.publicContentEndpoint,
    },
    permissions: { admin: integration.permissions.admin },
    contentSecurityPolicy: orNull(integration.contentSecurityPolicy),
  };
}

/** A REST installation's own fields as the schema shows them. */
export function expectedInstallationFields(installation: IntegrationInstallation) {
  return {
    installationId: installation.id,
    organization: { organizationId: installation.target.organization },
    status: allCaps(installation.status),
    spaceSelection: allCaps(installation.space_selection),
    siteSelection: allCaps(installation.site_selection),
    spaceCount: installation.spaces,
    configuration: installation.configuration,
    createdAt: installation.createdAt,
    updatedAt: installation.updatedAt,
    urls: {
      app: installation.urls.app,
      location: installation.urls.location,
      publicEndpoint: installation.urls.publicEndpoint,
      publicContentEndpoint: installation.urls.publicContentEndpoint,
    },
    externalIds: installation.externalIds,
  };
}

/** The REST render output as ContentKitRenderOutput shows it: enums in ALL_CAPS, absent → null. */
export function expectedRenderOutput(output: ContentKitRenderOutput) {
  const fields = output as unknown as Record<string, unknown>;
  return {
    type: allCaps(String(fields.type ?? 'element')),
    element: fields.element ?? null,
    state: fields.state ?? null,
    props: fields.props ?? null,
    returnValue: fields.returnValue ?? null,
    canAccessVisitorClaims: fields.canAccessVisitorClaims ?? null,
  };
}
