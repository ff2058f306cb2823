import http from 'node:http';
import { matchRoute } from '../../../src/simulator/spec.js';
import { type Loopback, listen } from '../loopback.js';
import type { ServedRequest } from './fixups.js';

/**
 * A stub GitBook API on loopback: a plain node:http server that routes each
 * request with the simulator's route matcher (the OpenAPI document's paths),
 * asks the current scenario for the answer, and records the exchange.
 */

export interface Exchange extends ServedRequest {
  method: string;
  /** After `/v1`, as received. */
  path: string;
  search: string;
  status: number;
  /** What was sent back (undefined: no body). */
  answer: unknown;
}

export interface Answer {
  status: number;
  body: unknown;
}

export type Scenario = (request: ServedRequest & { method: string; path: string }) => Answer;

export interface Stub extends Loopback {
  exchanges: Exchange[];
  scenario: Scenario | undefined;
}

function error(status: number, message: string): Answer {
  return { status, body: { error: { code: status, message } } };
}

export async function startStub(): Promise<Stub> {
  const stub = { exchanges: [] as Exchange[], scenario: undefined as Scenario | undefined };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stub');
      const method = request.method ?? 'GET';
      const path = url.pathname.startsWith('/v1/') ? url.pathname.slice(3) : url.pathname;
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      const query = Object.fromEntries(url.searchParams);
      const match = url.pathname.startsWith('/v1/') ? matchRoute(method, path) : ({ kind: 'not-found' } as const);
      let operationId = '';
      let params: Record<string, string> = {};
      let answer: Answer;
      if (match.kind !== 'found') {
        answer = error(
          match.kind === 'not-found' ? 404 : 405,
          `no route of the document for ${method} ${url.pathname}`,
        );
      } else {
        operationId = match.operation.id;
        params = Object.fromEntries(
          Object.entries(match.rawParams).map(([key, value]) => [key, decodeURIComponent(value)]),
        );
        try {
          answer = stub.scenario
            ? stub.scenario({ operationId, params, query, body, method, path })
            : error(503, 'no scenario');
        } catch (failure) {
          answer = error(500, `the stub failed to answer: ${(failure as Error).stack ?? String(failure)}`);
        }
      }
      const { status, body: sent } = answer;
      stub.exchanges.push({ operationId, method, path, search: url.search, params, query, body, status, answer: sent });
      if (answer.body === undefined) {
        response.writeHead(answer.status).end();
      } else {
        const json = JSON.stringify(answer.body);
        response
          .writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
          .end(json);
      }
    });
  });
  const loopback = await listen(server);
  return Object.assign(stub, loopback);
}
