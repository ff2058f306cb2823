import type { IntegrationSiteInstallation, IntegrationSpaceInstallation } from '@gitbook/api';
import { type RestClient, restPath } from './client.js';

/**
 * What space and site installations share: the REST answers differ only in
 * whether `space`/`site` is an id or (with `extended=true`) the whole object.
 */

export type ContentKind = 'spaces' | 'sites';

/** `extended=true` is sent only when wanted, so each lookup has one canonical URL. */
export function extendedQuery(extended: boolean): { extended?: true } {
  return extended ? { extended: true } : {};
}

export function contentId(content: string | { id: string }): string {
  return typeof content === 'string' ? content : content.id;
}

export function contentInstallationPath(
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
export function primeContentInstallations(
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
export async function sendContentInstallation<Item extends IntegrationSpaceInstallation | IntegrationSiteInstallation>(
  rest: RestClient,
  kind: ContentKind,
  method: 'POST' | 'PATCH',
  path: string,
  body: unknown,
  extended: boolean,
): Promise<Item> {
  const item = await rest.send<Item>(method, path, { body, query: extendedQuery(extended), shape: 'object' });
  primeContentInstallations(rest, kind, [item], extended);
  return item;
}
