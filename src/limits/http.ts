import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * HTTP-level refusals, before any GraphQL work: bodies over the limit (or of
 * unknown length) and GraphQL parameters that are not JSON.
 */

/**
 * Refuses request bodies over the limit by their Content-Length, before
 * reading them. A body without one is chunked and could go on for ever; the
 * refusal closes the connection, so what the client still sends is not read.
 */
function bodySizeLimit(maxBytes: number): Plugin['onRequest'] {
  return ({ request, endResponse, fetchAPI }) => {
    if (request.method !== 'POST') return;
    const length = request.headers.get('content-length');
    // Node's HTTP parser reads exactly Content-Length bytes; a body without one is chunked and unbounded.
    const status = length === null ? 411 : Number(length) > maxBytes ? 413 : undefined;
    if (status === undefined) return;
    const message =
      status === 411 ? 'Send a Content-Length with the request body.' : `The request body is over ${maxBytes} bytes.`;
    endResponse(
      new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }), {
        status,
        // Keeping the connection would mean reading the rest of the body to find the next request.
        headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
      }),
    );
  };
}

function badParameter(name: string): GraphQLError {
  return new GraphQLError(`The \`${name}\` parameter is not valid JSON.`, {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });
}

function json(params: URLSearchParams, name: 'variables' | 'extensions'): unknown {
  const text = params.get(name);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badParameter(name);
  }
}

/** GraphQL-over-HTTP parameters from a query string or a form body, as Yoga reads them, but with a 400 for bad JSON. */
function paramsOf(params: URLSearchParams) {
  return {
    operationName: params.get('operationName') || undefined,
    query: params.get('query') || undefined,
    variables: json(params, 'variables') as Record<string, unknown> | undefined,
    extensions: json(params, 'extensions') as Record<string, unknown> | undefined,
  };
}

const isForm = (request: Request) =>
  request.method === 'POST' &&
  /^application\/x-www-form-urlencoded\s*(;|$)/i.test(request.headers.get('content-type')?.split(',')[0] ?? '');

export function httpLimits(maxBodyBytes: number): Plugin {
  return {
    onRequest: bodySizeLimit(maxBodyBytes),
    // Yoga's own parsers let a JSON.parse error of `variables` or
    // `extensions` escape as a 500 with a logged stack trace.
    onRequestParse({ request, setRequestParser }) {
      if (request.method === 'GET') {
        setRequestParser((request) => {
          const query = request.url.indexOf('?');
          return paramsOf(new URLSearchParams(query < 0 ? '' : request.url.slice(query + 1)));
        });
      } else if (isForm(request)) {
        setRequestParser((request) => request.text().then((body) => paramsOf(new URLSearchParams(body))));
      }
    },
  };
}
