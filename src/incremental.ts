import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { BREAK, type DocumentNode, OverlappingFieldsCanBeMergedRule, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Incremental delivery of queries: `@defer` on a fragment and `@stream` on a
 * list field let a client have the first part of an answer while the REST
 * calls of the rest are still under way, each later part arriving as its
 * calls are answered (multipart/mixed; Yoga's executor, graphql-tools',
 * runs them). The directives are part of the schema (schema/index.ts), so
 * introspection, GraphiQL and codegen know them.
 *
 * What the rest of the gateway does with them: the limits count deferred
 * fields as any others and a streamed list by its `first`; compiled
 * execution never compiles a document that uses them (graphql-jit knows
 * nothing of them); the response cache keeps the merged answer, once its
 * last part is in; warnings come with the last part.
 */

/** The directives, as the schema declares them (graphql-tools', which the executor reads). */
export const INCREMENTAL_DIRECTIVES = [GraphQLDeferDirective, GraphQLStreamDirective] as const;

const NAMES: ReadonlySet<string> = new Set(INCREMENTAL_DIRECTIVES.map((directive) => directive.name));

const usage = new WeakMap<DocumentNode, boolean>();

/** Whether `@defer` or `@stream` appears anywhere in the document (remembered per document). */
export function usesIncrementalDelivery(document: DocumentNode): boolean {
  let uses = usage.get(document);
  if (uses === undefined) {
    let found = false;
    visit(document, {
      Directive(node) {
        if (!NAMES.has(node.name.value)) return;
        found = true;
        return BREAK;
      },
    });
    uses = found;
    usage.set(document, uses);
  }
  return uses;
}

const stripped = new WeakMap<DocumentNode, DocumentNode>();

/** The document without its `@defer` and `@stream`: the same answer, in one piece. */
export function withoutIncrementalDelivery(document: DocumentNode): DocumentNode {
  let plain = stripped.get(document);
  if (!plain) {
    plain = visit(document, { Directive: (node) => (NAMES.has(node.name.value) ? null : undefined) });
    stripped.set(document, plain);
  }
  return plain;
}

const STREAMING_TYPES = ['multipart/mixed', 'text/event-stream'];

/**
 * Whether Yoga would send this request an answer in parts: its Accept names
 * multipart/mixed or text/event-stream, or a wildcard (no Accept at all
 * counts as one). Read as Yoga reads it: q-values ignored, a media type with
 * a charset other than utf-8 skipped.
 */
export function acceptsIncrementalDelivery(request: Request): boolean {
  const accept = (request.headers.get('accept') || '*/*').replace(/\s/g, '').toLowerCase();
  return accept.split(',').some((entry) => {
    const [mediaType = '', ...parameters] = entry.split(';');
    const charset = parameters.find((parameter) => parameter.includes('charset='));
    if (charset !== undefined && charset !== 'charset=utf-8') return false;
    const [type, subtype] = mediaType.split('/');
    return STREAMING_TYPES.some((streaming) => {
      const [streamingType, streamingSubtype] = streaming.split('/');
      return (type === '*' || type === streamingType) && (subtype === '*' || subtype === streamingSubtype);
    });
  });
}

/**
 * Yoga's defer/stream plugin, and what the gateway adds to it:
 *
 * - Validation: the plugin swaps graphql-js' OverlappingFieldsCanBeMergedRule
 *   for its own, which also compares `@stream` arguments, by reassigning
 *   `params.rules`; Envelop validates with its own copy of the rules, so
 *   graphql-js' rule would still run and every conflict be reported twice.
 *   It is taken out of that copy here.
 * - A client that cannot take an answer in parts (its Accept is only JSON)
 *   and every operation of a batch (whose answer is one JSON array) runs
 *   without `@defer` and `@stream`: the whole answer in one piece. Yoga would
 *   run the operation, then answer the client 406 without a body (and the
 *   deferred REST calls would go on for nobody), and the batch `{}` in the
 *   operation's place.
 */
export function incrementalDelivery(): Plugin[] {
  const deferStream = useDeferStream() as Plugin;
  const validate = deferStream.onValidate;
  const batched = new WeakSet<Request>();
  return [
    {
      ...deferStream,
      onValidate(payload) {
        const rules = payload.params.rules as unknown[] | undefined;
        if (rules) {
          const index = rules.indexOf(OverlappingFieldsCanBeMergedRule);
          if (index !== -1) rules.splice(index, 1);
        }
        return validate?.(payload);
      },
    },
    {
      onRequestParse({ request }) {
        return {
          onRequestParseDone({ requestParserResult }) {
            if (Array.isArray(requestParserResult)) batched.add(request);
          },
        };
      },
      onExecute({ args, executeFn, setExecuteFn }) {
        if (!usesIncrementalDelivery(args.document)) return;
        const request = (args.contextValue as { request: Request }).request;
        if (!batched.has(request) && acceptsIncrementalDelivery(request)) return;
        setExecuteFn((executionArgs) =>
          executeFn({ ...executionArgs, document: withoutIncrementalDelivery(executionArgs.document) }),
        );
      },
    },
  ];
}
