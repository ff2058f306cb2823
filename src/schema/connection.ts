import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { badUserInput } from '../errors.js';
import type { Page } from '../upstream/types.js';
import { builder, type Types } from './builder.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';

/**
 * Relay connections over GitBook's page tokens.
 *
 * REST pages are addressed by an opaque token that points at the first item
 * of a page, and `limit` says how many items to take from there. So an edge's
 * cursor is (token of the page it was on, index in that page): `after` any
 * edge re-requests that page with a `limit` reaching just past the wanted
 * items, even when the edge sat in the middle of a page. The last edge of a
 * REST page points at the next page's token instead, so paging on with
 * `endCursor` costs one call per page. `first` is pushed down as `limit`, so
 * one connection usually costs one REST call.
 */

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageRequest {
  page?: string;
  limit: number;
}

interface Cursor {
  /** The REST page token of the page the edge is on; null for the first page. */
  page: string | null;
  /** The edge's index in that page; -1 for "just before the page starts". */
  index: number;
}

export interface ConnectionResult<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.page, cursor.index]), 'utf8').toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      (decoded[0] === null || (typeof decoded[0] === 'string' && decoded[0] !== '')) &&
      Number.isInteger(decoded[1]) &&
      decoded[1] >= (decoded[0] === null ? 0 : -1)
    ) {
      return { page: decoded[0], index: decoded[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badUserInput('`after` is not a cursor of this connection.');
}

/**
 * An edge whose cursor is encoded only if a query reads it (most read
 * `nodes`). A class, not an object literal with a getter: each such literal
 * gets a hidden class of its own, kept in old space, which holds the edge's
 * node and so keeps every REST answer alive through young-generation GCs.
 */
class Edge<Node> {
  private encoded: string | undefined;

  constructor(
    private readonly position: Cursor,
    readonly node: Node,
  ) {}

  get cursor(): string {
    this.encoded ??= encodeCursor(this.position);
    return this.encoded;
  }
}

/** pageInfo, with its cursors read through the edges' lazy ones, only if asked for. */
class PageInfo {
  constructor(
    private readonly edges: readonly { cursor: string }[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

/** Validates `first` before any REST call is made. */
export function checkFirst(first: number | null | undefined): number {
  const value = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return value;
}

/**
 * Resolves one page of a connection. `fetchPage` makes the REST call for a
 * page token and limit; a REST list without pagination may ignore both and
 * answer the whole list, and this still pages through it.
 */
export async function resolvePageConnection<Item, Node>(
  args: PageArgs,
  fetchPage: (request: PageRequest) => Promise<Page<Item>>,
  toNode: (item: Item) => Node,
): Promise<ConnectionResult<Node>> {
  const first = checkFirst(args.first);
  const start = args.after ? decodeCursor(args.after) : undefined;
  let page = start?.page ?? null;
  let skip = start ? start.index + 1 : 0;

  const edges: ConnectionResult<Node>['edges'] = [];
  let totalCount: number | null = null;
  let hasNextPage = false;
  for (;;) {
    const wanted = first - edges.length;
    const result = await fetchPage({ page: page ?? undefined, limit: Math.min(MAX_PAGE_SIZE, skip + wanted) });
    totalCount ??= result.count ?? null;
    const taken = result.items.slice(skip, skip + wanted);
    const nextPage = result.next?.page;
    taken.forEach((item, offset) => {
      const index = skip + offset;
      // After the last item of a REST page comes the next page: pointing the
      // cursor there lets `after` fetch just that page instead of re-reading
      // this one, so walking a list costs one call per page.
      const cursor = nextPage && index === result.items.length - 1 ? { page: nextPage, index: -1 } : { page, index };
      edges.push(new Edge(cursor, toNode(item)));
    });
    const leftOnPage = result.items.length > skip + taken.length;
    if (edges.length >= first || !result.next?.page || result.items.length === 0) {
      hasNextPage = leftOnPage || Boolean(result.next?.page && result.items.length > 0);
      break;
    }
    // The page ended before `first` was reached (REST caps a page at 1000): go on.
    page = result.next.page;
    skip = 0;
  }

  return { edges, pageInfo: new PageInfo(edges, hasNextPage, start !== undefined), totalCount };
}

/**
 * A connection over a REST list the API does not paginate: one answer holds
 * the whole list, and any `next` it carries is not followed, since asking
 * again would only read the same list (and repeat its items) for ever.
 */
export function resolveUnpaginatedConnection<Item, Node>(
  args: PageArgs,
  fetchList: () => Promise<Page<Item>>,
  toNode: (item: Item) => Node,
): Promise<ConnectionResult<Node>> {
  return resolvePageConnection(
    args,
    () => fetchList().then((list) => (list.next === undefined ? list : { ...list, next: undefined })),
    toNode,
  );
}

/** `first` and `after`; `last` and `before` are not offered: REST cannot page backwards. */
export function pageArgs(arg: ArgBuilder<Types>) {
  return {
    first: arg.int({
      description: `How many items to return, 1 to ${MAX_PAGE_SIZE} (the REST maximum); ${DEFAULT_PAGE_SIZE} by default.`,
    }),
    after: arg.string({ description: 'Returns the items after the edge with this cursor.' }),
  };
}

/** `<Name>Connection` and `<Name>Edge` for a node type, with `totalCount`. */
export function connectionType<Shape>(node: ObjectRef<Types, Shape>, name: string, description: string) {
  return builder.connectionObject(
    {
      type: node,
      name: `${name}Connection`,
      description,
      fields: (t) => ({
        // REST's `count` is a `number`: a Float, so a count past 2^31 is served as sent.
        totalCount: t.float({
          nullable: true,
          description: 'How many items the whole list holds (REST `count`); null if the API did not say.',
          resolve: (connection) => connection.totalCount ?? null,
        }),
      }),
    },
    { name: `${name}Edge`, description: `One item of ${name}Connection, with the cursor to continue after it.` },
  );
}
