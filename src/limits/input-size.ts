import {
  type ArgumentNode,
  type DefinitionNode,
  type DirectiveNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * The size of what a client asks the gateway to build and send: every
 * argument value of a document, as it will be once its variables are put in.
 * A variable is a reference, so `[$v $v $v …]` costs nothing to parse and
 * validate but is a copy of `$v` per use once serialized into a REST body or
 * compressed into a render request. Each value is measured before execution,
 * without building it: a variable's size is measured once and added at each
 * use, and a walk stops as soon as the value is over its budget.
 */

export interface InputBudget {
  /** Largest serialized size of one argument value, in bytes (JSON text, approximately). */
  maxBytes: number;
  /** Most values (strings, numbers, list items, object fields...) in one argument value. */
  maxNodes: number;
  /** Deepest nesting of lists and objects in one argument value. */
  maxDepth: number;
}

interface Size {
  bytes: number;
  nodes: number;
  depth: number;
}

/** A value over budget, or one no REST call can carry: refused before execution, like a bad argument. */
function refused(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...extra, http: { status: 400, spec: true } },
  });
}

function notFinite(): GraphQLError {
  return refused('Numbers must be finite: a value such as 1e400 has no JSON form GitBook API could read.');
}

/**
 * Measures a runtime value (a variable's): its JSON size, bounded by the
 * budget so that a walk over a huge value stops early.
 */
function measureValue(value: unknown, budget: InputBudget): Size {
  const size: Size = { bytes: 0, nodes: 0, depth: 0 };
  const visit = (inner: unknown, depth: number) => {
    size.nodes += 1;
    if (depth > size.depth) size.depth = depth;
    if (size.nodes > budget.maxNodes || size.bytes > budget.maxBytes || depth > budget.maxDepth) return;
    if (typeof inner === 'string') size.bytes += inner.length + 2;
    else if (typeof inner === 'number') {
      if (!Number.isFinite(inner)) throw notFinite();
      size.bytes += String(inner).length;
    } else if (Array.isArray(inner)) {
      size.bytes += 2 + inner.length;
      for (const item of inner) {
        visit(item, depth + 1);
        if (size.nodes > budget.maxNodes || size.bytes > budget.maxBytes) return;
      }
    } else if (inner !== null && typeof inner === 'object') {
      size.bytes += 2;
      for (const [key, field] of Object.entries(inner)) {
        size.bytes += key.length + 4;
        visit(field, depth + 1);
        if (size.nodes > budget.maxNodes || size.bytes > budget.maxBytes) return;
      }
    } else size.bytes += 5;
  };
  visit(value, 0);
  return size;
}

/** Measures argument values with their variables in place; one per operation and variables. */
class Measure {
  private readonly variableSizes = new Map<string, Size>();

  constructor(
    private readonly variables: Readonly<Record<string, unknown>>,
    private readonly budget: InputBudget,
  ) {}

  /** Throws when the value of `argument` is over budget (or carries a non-finite number). */
  check(argument: ArgumentNode, field: string): void {
    const size: Size = { bytes: 0, nodes: 0, depth: 0 };
    this.add(argument.value, size, 0);
    const { maxBytes, maxNodes, maxDepth } = this.budget;
    if (size.bytes > maxBytes || size.nodes > maxNodes || size.depth > maxDepth) {
      throw refused(
        `The argument \`${argument.name.value}\` of \`${field}\` is too large once its variables are put in place: ` +
          `the limit is ${maxBytes} bytes, ${maxNodes} values and ${maxDepth} levels of nesting. ` +
          'Send smaller values, and a variable once rather than many times.',
        { argument: argument.name.value, limit: { bytes: maxBytes, values: maxNodes, depth: maxDepth } },
      );
    }
  }

  private variableSize(name: string): Size {
    let size = this.variableSizes.get(name);
    if (!size) {
      size = measureValue(this.variables[name], this.budget);
      this.variableSizes.set(name, size);
    }
    return size;
  }

  /** Adds `node` at nesting `depth` to `size`, stopping once it is over budget. */
  private add(node: ValueNode, size: Size, depth: number): void {
    const { maxBytes, maxNodes, maxDepth } = this.budget;
    if (size.bytes > maxBytes || size.nodes > maxNodes || size.depth > maxDepth) return;
    if (depth > size.depth) size.depth = depth;
    switch (node.kind) {
      case Kind.VARIABLE: {
        const inner = this.variableSize(node.name.value);
        size.bytes += inner.bytes;
        size.nodes += inner.nodes;
        size.depth = Math.max(size.depth, depth + inner.depth);
        return;
      }
      case Kind.LIST:
        size.nodes += 1;
        size.bytes += 2 + node.values.length;
        for (const value of node.values) this.add(value, size, depth + 1);
        return;
      case Kind.OBJECT:
        size.nodes += 1;
        size.bytes += 2;
        for (const field of node.fields) {
          size.bytes += field.name.value.length + 4;
          this.add(field.value, size, depth + 1);
        }
        return;
      case Kind.INT:
      case Kind.FLOAT:
        if (!Number.isFinite(Number(node.value))) throw notFinite();
        size.nodes += 1;
        size.bytes += node.value.length;
        return;
      case Kind.STRING:
        size.nodes += 1;
        size.bytes += node.value.length + 2;
        return;
      default:
        size.nodes += 1;
        size.bytes += 5;
    }
  }
}

/**
 * Checks every argument value of these definitions (the operation and its
 * fragments, each read once) against the budget, variables expanded.
 */
export function checkInputSizes(
  definitions: readonly DefinitionNode[],
  variables: Readonly<Record<string, unknown>>,
  budget: InputBudget,
): void {
  const measure = new Measure(variables, budget);
  const checkDirectives = (directives: readonly DirectiveNode[] | undefined, at: string) => {
    for (const directive of directives ?? []) {
      for (const argument of directive.arguments ?? []) measure.check(argument, `@${directive.name.value} on ${at}`);
    }
  };
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) measure.check(argument, selection.name.value);
        checkDirectives(selection.directives, selection.name.value);
        visit(selection.selectionSet);
      } else {
        checkDirectives(selection.directives, 'a fragment');
        if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        // A spread's fragment is a definition of its own, measured once below.
      }
    }
  };
  for (const definition of definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) {
      checkDirectives(definition.directives, 'the operation');
      visit(definition.selectionSet);
    }
  }
}
