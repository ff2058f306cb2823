import type { Integration } from '@gitbook/api';
import { DEMO_TOKEN } from '../../src/simulator/index.js';
import type { Harness, RestCall } from './harness.js';
import { bearer, expectedInstallationFields, expectedIntegrationFields } from './rest-fixtures.js';

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
  return {
    id,
    ...expectedIntegrationFields(integration),
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
export const expectedInstallation = expectedInstallationFields;
