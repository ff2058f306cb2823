import type { YogaInitialContext } from 'graphql-yoga';
import type { RestClient, Upstream } from './upstream/client.js';

/**
 * Everything one GraphQL request carries. It is built fresh for each request,
 * so no cached REST answer can outlive it or reach another caller. The Pothos
 * dataloaders of the node types hang off this object too (the plugin keys them
 * by context), and so are per request as well.
 */
export interface Context {
  /** The REST client bound to this request's `Authorization` header. */
  rest: RestClient;
}

export function createContextFactory(upstream: Upstream) {
  return ({ request }: YogaInitialContext): Context => ({
    rest: upstream.client(request.headers.get('authorization') ?? undefined),
  });
}
