import type { ContentKitRenderOutput, RenderIntegrationUI } from '@gitbook/api';
import lzString from 'lz-string';
import { MAX_QUERY_LENGTH, type RestClient, restPath } from './client.js';

/**
 * GET /integrations/{integrationName}/render: the first render of a component,
 * idempotent and cacheable. The request travels in the `request` parameter as
 * LZ-string (`compressToEncodedURIComponent`) of its JSON.
 */
export function renderIntegrationUIWithGet(
  rest: RestClient,
  integrationName: string,
  request: RenderIntegrationUI,
): Promise<ContentKitRenderOutput> {
  const encoded = lzString.compressToEncodedURIComponent(JSON.stringify(request));
  // A request too large for a URL is rendered by POST, which takes the same request.
  if (encoded.length > MAX_GET_REQUEST_LENGTH) return renderIntegrationUIWithPost(rest, integrationName, request);
  return rest.get('renderIntegrationUIWithGet', 'object', restPath`/integrations/${integrationName}/render`, {
    request: encoded,
  });
}

/** Past this, the request would not fit the query string a GET may carry (MAX_QUERY_LENGTH). */
const MAX_GET_REQUEST_LENGTH = MAX_QUERY_LENGTH - 'request='.length;

/** POST /integrations/{integrationName}/render: a render that carries an action. */
export function renderIntegrationUIWithPost(
  rest: RestClient,
  integrationName: string,
  request: RenderIntegrationUI,
): Promise<ContentKitRenderOutput> {
  return rest.send('renderIntegrationUIWithPost', 'POST', restPath`/integrations/${integrationName}/render`, {
    body: request,
    shape: 'object',
  });
}
