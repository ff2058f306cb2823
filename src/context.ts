import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { LiveEvents } from './live-events.js';
import { requestRecord } from './observability/index.js';
import type { RestClient, Upstream } from './upstream/client.js';
import { Warnings } from './warnings.js';

/**
 * Everything one GraphQL request carries. It is built fresh for each request,
 * so no cached REST answer can outlive it or reach another caller: the one
 * per-request cache (a DataLoader over REST reads) lives in `rest`.
 */
export interface Context {
  /** The HTTP request (Yoga's). */
  request: Request;
  /** The REST client bound to this request's `Authorization` header. */
  rest: RestClient;
  /** The pollers of live events (subscriptions), shared by every request. */
  liveEvents: LiveEvents;
  /** What the response should say besides its data: values GitBook sent that this gateway does not know. */
  warnings: Warnings;
  /**
   * What this request's mutations wrote (the entities their inputs name, the
   * types they create): the response cache drops the answers holding them.
   */
  changes: { typename: string; id?: string }[];
}

/**
 * @param requestTimeoutMs how long all the REST calls of one GraphQL request
 *   may take together; none starts, and no retry waits, past it.
 */
export function createContextFactory(upstream: Upstream, requestTimeoutMs: number, liveEvents: LiveEvents) {
  return ({ request }: YogaInitialContext): Context => {
    const record = requestRecord(request);
    return {
      request,
      liveEvents,
      rest: upstream.client(request.headers.get('authorization') ?? undefined, {
        // A client that went away cancels the calls made for it.
        signal: request.signal,
        deadline: Date.now() + requestTimeoutMs,
        requestId: record.id,
        counts: record.counts,
      }),
      warnings: new Warnings(),
      changes: [],
    };
  };
}

/**
 * Lets go of a request's REST answers as soon as its operation has run.
 * The context can stay reachable a while longer (Yoga's response pipeline,
 * pending log lines), and answers still reachable at a minor GC are copied
 * and promoted: with them released, that cost stays with the request.
 */
export function releaseWhenDone(): Plugin<Context> {
  const release = (context: Context) => context.rest.release();
  return {
    onExecute({ args }) {
      const context = args.contextValue as Context;
      return {
        onExecuteDone({ result }) {
          // Incremental delivery (an async iterable) is done at its end only.
          if (!(Symbol.asyncIterator in result)) return release(context);
          return { onEnd: () => release(context) };
        },
      };
    },
  };
}
