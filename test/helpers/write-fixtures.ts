import type { Integration, IntegrationInstallation } from '@gitbook/api';
import { DEMO_TOKEN } from '../../src/simulator/index.js';
import type { Harness, RestCall } from './harness.js';
import { allCaps, bearer, orNull } from './rest-fixtures.js';

/**
 * What the mutation tests share: the REST writes the gateway is expected to
 * send, writes sent straight to the simulator (to set up state or to compare
 * with what the gateway passes through), and the GraphQL shape of the objects
 * a payload returns, derived from their REST answer.
 */

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The write the gateway is expected to have sent (compare with `h.calls()`). */
export function expectedWrite(
  method: WriteMethod,
  path: string,
  options: { body?: unknown; query?: Record<string, string>; token?: string; status: number },
): RestCall {
  return {
    method,
    path,
    query: options.query ?? {},
    authorization: bearer(options.token ?? DEMO_TOKEN),
    body: options.body,
    status: options.status,
  };
}

/**
 * A write sent to the simulator directly, not through the gateway; its
 * request is taken back out of the simulator's record, so `h.calls()` still
 * lists only what the gateway sent.
 */
export async function restWrite<T = any>(
  h: Harness,
  method: WriteMethod,
  path: string,
  body?: unknown,
  token: string = DEMO_TOKEN,
): Promise<{ status: number; body: T }> {
  const before = h.simulator.requests.length;
  const headers: Record<string, string> = { authorization: bearer(token) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(h.simulator.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  h.simulator.requests.splice(before);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const INTEGRATION_FIELDS = /* GraphQL */ `
  fragment IntegrationFields on Integration {
    id
    name
    version
    title
    description
    summary
    previewImages
    target
    verified
    visibility
    scopes
    categories
    blocks { id title description icon urlUnfurl markdown }
    contentSources { id title description icon configuration }
    configurations { account space site }
    externalLinks { url label }
    urls { location app icon assets publicEndpoint publicContentEndpoint }
    permissions { admin }
    contentSecurityPolicy
    owner { organizationId title }
  }
`;

/** The REST integration as IntegrationFields shows it (`id` is the global ID, given apart). */
export function expectedIntegration(integration: Integration, id: string) {
  const configurations = integration.configurations;
  return {
    id,
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
      ? { account: orNull(configurations.account), space: orNull(configurations.space), site: orNull(configurations.site) }
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
    owner: { organizationId: integration.owner.id, title: integration.owner.title },
  };
}

export const INSTALLATION_FIELDS = /* GraphQL */ `
  fragment InstallationFields on Installation {
    installationId
    organization { organizationId }
    status
    spaceSelection
    siteSelection
    spaceCount
    configuration
    createdAt
    updatedAt
    urls { app location publicEndpoint publicContentEndpoint }
    externalIds
  }
`;

/** The REST installation as InstallationFields shows it. */
export function expectedInstallation(installation: IntegrationInstallation) {
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
