/**
 * A small multipart/mixed reader for incremental delivery (@defer, @stream):
 * it reads a response body as it streams in, splits it on the boundary its
 * content type names, and parses each part's JSON as soon as the part is
 * whole, so a test can act between parts (release a held REST call) and
 * check the order in which they came. A body that is not multipart (a JSON
 * answer) is read as one part.
 */

export type Part = Record<string, any>;

export interface MultipartReader {
  /** The response's content type, e.g. `multipart/mixed; boundary="-"`. */
  contentType: string;
  /** Whether the body is multipart/mixed. */
  multipart: boolean;
  /** The parts read so far, in the order they arrived. */
  parts: Part[];
  /** Reads the next part as it arrives; undefined once the body is over. */
  next(): Promise<Part | undefined>;
  /** Reads every part still to come. */
  rest(): Promise<Part[]>;
}

export function readParts(response: Response, onPart?: (part: Part, index: number) => void): MultipartReader {
  const contentType = response.headers.get('content-type') ?? '';
  const boundary = /^multipart\/mixed\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const body = response.body;
  if (!body) throw new Error(`a response without a body (status ${response.status})`);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: Part[] = [];
  const record = (part: Part) => {
    parts.push(part);
    onPart?.(part, parts.length - 1);
    return part;
  };

  if (!boundary) {
    // One JSON answer: the whole body is its one part.
    let text = '';
    let read = false;
    return {
      contentType,
      multipart: false,
      parts,
      async next() {
        if (read) return undefined;
        read = true;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        text += decoder.decode();
        return record(JSON.parse(text) as Part);
      },
      async rest() {
        const part = await this.next();
        return part ? [part] : [];
      },
    };
  }

  // Every delimiter but the very first follows a CRLF (RFC 2046): reading the
  // body after a CRLF of our own makes the first one look like the others. A
  // JSON part never holds a raw CR or LF, so no delimiter is found inside one.
  const delimiter = `\r\n--${boundary[1] ?? boundary[2]}`;
  let buffer = '\r\n';
  let ended = false;
  let closed = false;
  /** Where the delimiter before the next part starts in the buffer; -1 until the first is read. */
  let start = -1;

  const more = async (): Promise<void> => {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      buffer += decoder.decode();
    } else {
      buffer += decoder.decode(value, { stream: true });
    }
  };

  /** The next whole part in the buffer; 'closed' after the closing delimiter; undefined until more is read. */
  const take = (): Part | 'closed' | undefined => {
    if (start === -1) {
      // The preamble, up to the first delimiter.
      start = buffer.indexOf(delimiter);
      if (start === -1) return undefined;
    }
    const after = start + delimiter.length;
    if (buffer.length < after + 2) return undefined;
    if (buffer.startsWith('--', after)) return 'closed';
    const end = buffer.indexOf(delimiter, after);
    if (end === -1) return undefined;
    const raw = buffer.slice(after, end);
    buffer = buffer.slice(end);
    start = 0;
    const headersEnd = raw.indexOf('\r\n\r\n');
    if (headersEnd === -1) throw new Error(`a part without a blank line after its headers: ${raw}`);
    const headers = raw.slice(0, headersEnd);
    if (!/content-type:\s*application\/json/i.test(headers)) throw new Error(`a part that is not JSON: ${headers}`);
    return JSON.parse(raw.slice(headersEnd + 4)) as Part;
  };

  const next = async (): Promise<Part | undefined> => {
    for (;;) {
      if (closed) return undefined;
      const part = take();
      if (part === 'closed') {
        closed = true;
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      if (part) return record(part);
      if (ended) throw new Error(`the body ended inside a part: ${JSON.stringify(buffer.slice(0, 500))}`);
      await more();
    }
  };

  return {
    contentType,
    multipart: true,
    parts,
    next,
    async rest() {
      const rest: Part[] = [];
      for (let part = await next(); part; part = await next()) rest.push(part);
      return rest;
    },
  };
}

/**
 * The parts of an incremental answer merged as a client merges them: each
 * later part's `incremental` entries put their `data` at their `path`
 * (merged into what is there) or their `items` into the list their `path`
 * ends in, from its index on; errors are gathered in order.
 */
export function mergeParts(parts: readonly Part[]): { data?: any; errors?: any[]; extensions?: Record<string, any> } {
  const [first, ...later] = parts;
  if (!first) throw new Error('no part to merge');
  const merged: { data?: any; errors?: any[]; extensions?: Record<string, any> } = {
    data: structuredClone(first.data),
  };
  const errors: any[] = [...(first.errors ?? [])];
  let extensions: Record<string, any> | undefined = first.extensions;
  for (const part of later) {
    errors.push(...(part.errors ?? []));
    if (part.extensions) extensions = { ...extensions, ...part.extensions };
    for (const patch of part.incremental ?? []) {
      errors.push(...(patch.errors ?? []));
      const path = patch.path as (string | number)[];
      if ('items' in patch) {
        const list = at(merged.data, path.slice(0, -1)) as unknown[];
        const from = path[path.length - 1] as number;
        (patch.items as unknown[]).forEach((item, offset) => {
          list[from + offset] = item;
        });
      } else if (patch.data) {
        deepMerge(at(merged.data, path), patch.data);
      }
    }
  }
  if (errors.length > 0) merged.errors = errors;
  if (extensions) merged.extensions = extensions;
  return merged;
}

function at(data: any, path: readonly (string | number)[]): any {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') throw new Error(`nothing at ${path.join('.')} to merge into`);
    value = value[key];
  }
  return value;
}

function deepMerge(target: any, source: any): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing && value && typeof existing === 'object' && typeof value === 'object') deepMerge(existing, value);
    else target[key] = value;
  }
}
