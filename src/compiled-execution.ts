import {
  BREAK,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  type InlineFragmentNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { INCREMENTAL_DIRECTIVES } from './incremental.js';
import type { GatewayMetrics } from './observability/metrics.js';

/**
 * Runs the operations a gateway sees again and again with graphql-jit: each
 * is compiled once into a function, which executes it in a fraction of the
 * CPU graphql-js takes to interpret it (the resolvers are the same).
 *
 * Compiling costs far more than one execution, so it is kept for what pays
 * it back and cannot be turned against the gateway: an operation is compiled
 * on its second execution with the same document (an app's queries, a
 * persisted operation), never when it selects more than
 * `MAX_COMPILED_SELECTIONS` fields with its fragments expanded (compiling
 * costs about 25 µs per selection: 250 cost 7 ms), and never for a document
 * graphql-jit would answer differently (`compilableDocument`).
 * The rest runs on Yoga's executor, as does every operation before its
 * second use.
 *
 * Variables are coerced by graphql-js first, so a value the schema refuses
 * gets graphql-js' error (and its checks: an enum's `UNKNOWN` member, which
 * graphql-jit's coercion would let through).
 */
export const MAX_COMPILED_SELECTIONS = 250;

type Compilation = { uses: number } | { query: CompiledQuery } | 'interpreted';

export interface CompiledExecutionOptions {
  /** The use of a document (and operation) on which it is compiled: 2 by default. */
  compileOnUse?: number;
  /** Counts executions by executor, `compiled` or `interpreted`. */
  metrics: GatewayMetrics;
}

export function compiledExecution(options: CompiledExecutionOptions): Plugin {
  const compileOnUse = options.compileOnUse ?? 2;
  const { metrics } = options;
  // Yoga's parse cache hands every request with the same text the same
  // document, hence the same operation node, however the operation is named.
  const compilations = new WeakMap<OperationDefinitionNode, Compilation>();

  /** The compiled operation to run, or undefined to interpret it. */
  const compiledFor = (
    args: ExecutionArgs,
  ): { query: CompiledQuery; operation: OperationDefinitionNode } | undefined => {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation || operation.operation === 'subscription') return undefined;
    let compilation = compilations.get(operation) ?? { uses: 0 };
    if (typeof compilation === 'object' && 'uses' in compilation) {
      compilation.uses += 1;
      if (compilation.uses >= compileOnUse) compilation = compile(args, operation);
      compilations.set(operation, compilation);
    }
    return typeof compilation === 'object' && 'query' in compilation
      ? { query: compilation.query, operation }
      : undefined;
  };

  return {
    onExecute({ executeFn, setExecuteFn }) {
      // Decided when execution starts, after every other plugin's checks: an
      // operation the limits refuse is neither counted nor compiled.
      setExecuteFn((args) => {
        const compiled = compiledFor(args as ExecutionArgs);
        metrics.execution(compiled ? 'compiled' : 'interpreted');
        return compiled ? runCompiled(compiled.query, compiled.operation, args as ExecutionArgs) : executeFn(args);
      });
    },
  };
}

function compile(args: ExecutionArgs, operation: OperationDefinitionNode): Compilation {
  if (!compilableDocument(args.document)) return 'interpreted';
  if (expandedSelections(args.document, operation, MAX_COMPILED_SELECTIONS) > MAX_COMPILED_SELECTIONS) {
    return 'interpreted';
  }
  const compiled = compileQuery(args.schema, args.document, operation.name?.value);
  return isCompiledQuery(compiled) ? { query: compiled } : 'interpreted';
}

function runCompiled(
  query: CompiledQuery,
  operation: OperationDefinitionNode,
  args: ExecutionArgs,
): ExecutionResult | Promise<ExecutionResult> {
  const raw = (args.variableValues ?? {}) as Record<string, unknown>;
  if (operation.variableDefinitions?.length) {
    const variables = getVariableValues(args.schema, operation.variableDefinitions, raw);
    if (variables.errors) return { errors: variables.errors };
  }
  const result = query.query(args.rootValue, args.contextValue, raw) as ExecutionResult | Promise<ExecutionResult>;
  return result instanceof Promise
    ? result.then((settled) => asInterpreted(settled, args.document))
    : asInterpreted(result, args.document);
}

/**
 * The result as graphql-js shapes it: errors first, each a GraphQLError that
 * knows where it stands in the document. graphql-jit's errors carry their
 * locations as numbers only, which Yoga drops when it rebuilds an error from
 * its nodes or source positions; their positions are found again here.
 */
function asInterpreted(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (!result.errors?.length) return result;
  const source = document.loc?.source;
  const starts = source ? lineStarts(source.body) : [];
  const errors = result.errors.map((error) => {
    if (error.nodes || !source || !error.locations) return error;
    return new GraphQLError(error.message, {
      source,
      positions: error.locations.map(({ line, column }) => (starts[line - 1] ?? 0) + column - 1),
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  });
  return { errors, data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) };
}

/** Where each line of a document starts, its line terminators read as graphql-js reads them. */
function lineStarts(body: string): number[] {
  const starts = [0];
  for (const match of body.matchAll(/\r\n|[\n\r]/g)) starts.push(match.index + match[0].length);
  return starts;
}

/**
 * How many fields the operation selects with every fragment spread expanded
 * where it stands, as graphql-jit compiles it (it does not merge repeated
 * spreads as graphql-js does), counted up to `cap`. Each fragment's size is
 * counted once and remembered, so a spread bomb costs its size in the text.
 */
function expandedSelections(document: DocumentNode, operation: OperationDefinitionNode, cap: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const sizes = new Map<string, number>();
  const sizeOf = (selectionSet: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += 1 + sizeOf(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += sizeOf(selection.selectionSet);
      else {
        const name = selection.name.value;
        let size = sizes.get(name);
        if (size === undefined) {
          sizes.set(name, cap + 1); // a cycle (validation refuses them) counts as too large
          size = sizeOf(fragments.get(name)?.selectionSet);
          sizes.set(name, size);
        }
        total += size;
      }
      if (total > cap) return cap + 1;
    }
    return total;
  };
  return sizeOf(operation.selectionSet);
}

function containsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(containsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => containsVariable(field.value));
  return false;
}

const INCREMENTAL = new Set(INCREMENTAL_DIRECTIVES.map((directive) => directive.name));
const CONDITIONS = new Set(['skip', 'include']);
const compilable = new WeakMap<DocumentNode, boolean>();

/**
 * Whether graphql-jit answers this document as graphql-js does; decided in
 * one walk, once per document. Not when:
 * - a variable sits inside a list or object literal (jit coerces such
 *   literals when compiling, without the request's variables);
 * - a fragment spread or inline fragment carries `@skip`/`@include` (jit
 *   records a spread's condition on the fragment's own field nodes, which
 *   every other spread of it and every operation of the document share, and
 *   skips a repeated spread without reading its condition);
 * - it uses `@defer` or `@stream` (jit would answer in one piece).
 */
function compilableDocument(document: DocumentNode): boolean {
  let known = compilable.get(document);
  if (known !== undefined) return known;
  known = true;
  const refuse = () => {
    known = false;
    return BREAK;
  };
  const literal = (node: ValueNode) => (containsVariable(node) ? refuse() : undefined);
  const conditional = (node: FragmentSpreadNode | InlineFragmentNode) =>
    node.directives?.some((directive) => CONDITIONS.has(directive.name.value)) ? refuse() : undefined;
  visit(document, {
    ListValue: literal,
    ObjectValue: literal,
    FragmentSpread: conditional,
    InlineFragment: conditional,
    Directive: (node) => (INCREMENTAL.has(node.name.value) ? refuse() : undefined),
  });
  compilable.set(document, known);
  return known;
}
