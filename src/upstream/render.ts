import type { ContentKitRenderOutput, RenderIntegrationUI } from '@gitbook/api';
import lzString from 'lz-string';
import { type RestClient, restPath } from './client.js';

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
  return rest.get('object', restPath`/integrations/${integrationName}/render`, {
    request: lzString.compressToEncodedURIComponent(JSON.stringify(request)),
  });
}

/** POST /integrations/{integrationName}/render: a render that carries an action. */
export function renderIntegrationUIWithPost(
  rest: RestClient,
  integrationName: string,
  request: RenderIntegrationUI,
): Promise<ContentKitRenderOutput> {
  return rest.send('POST', restPath`/integrations/${integrationName}/render`, { body: request, shape: 'object' });
}
