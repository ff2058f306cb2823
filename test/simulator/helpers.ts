import { createRequire } from 'node:module';
import { afterAll, beforeAll } from 'vitest';
import { SEEDED_USERS, type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js';

const lz = createRequire(import.meta.url)('lz-string') as typeof import('lz-string');

/** How clients encode GET render requests. */
export const compressToEncodedURIComponent = (text: string) => lz.compressToEncodedURIComponent(text);

export const TOKENS = Object.fromEntries(
  Object.entries(SEEDED_USERS).map(([handle, user]) => [handle, user.token]),
) as Record<keyof typeof SEEDED_USERS, string>;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Api {
  sim: Simulator;
  /** A request to the simulator over real HTTP; `token: null` sends no Authorization header. */
  call<T = any>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  get<T = any>(path: string, token?: string | null): Promise<ApiResponse<T>>;
}

/** Starts a strict simulator (it validates its own answers) for the test file. */
export function useSimulator(options: SimulatorOptions = {}): Api {
  const api = { sim: undefined as unknown as Simulator } as Api;
  beforeAll(async () => {
    api.sim = await startSimulator({ validateResponses: true, ...options });
  });
  afterAll(async () => {
    await api.sim.close();
  });
  api.call = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? TOKENS.demo : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(api.sim.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (response.status === 500) throw new Error(`simulator answered 500 to ${method} ${path}: ${text}`);
    return { status: response.status, body: parsed, headers: response.headers };
  };
  api.get = (path, token) => api.call('GET', path, { token });
  return api;
}

/** All items of a paginated list, following `next` with the given limit. */
export async function collect(api: Api, path: string, token?: string | null, limit = 1000): Promise<any[]> {
  const items: any[] = [];
  let page: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const sep = path.includes('?') ? '&' : '?';
    const response = await api.get(
      `${path}${sep}limit=${limit}${page ? `&page=${encodeURIComponent(page)}` : ''}`,
      token,
    );
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    items.push(...response.body.items);
    page = response.body.next?.page;
    if (!page) return items;
  }
  throw new Error('pagination did not end');
}
