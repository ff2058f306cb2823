import type { Api, List } from '@gitbook/api';

/**
 * REST shapes come from `@gitbook/api`, never by hand. Its generated client
 * types each operation's parameters; these helpers pick them by operationId.
 */
type Operations = Api<unknown>['integrations'] & Api<unknown>['orgs'];

/** A method of the generated client: the operationId, spelt as the generator spells it (`UI` → `Ui`). */
export type ApiMethod = keyof Operations;

export type { OperationId } from '../openapi/scope.js';

/** Parameter `Index` of an operation's generated method (path params first, then query, then body). */
export type ParamOf<Id extends ApiMethod, Index extends number> = NonNullable<Parameters<Operations[Id]>[Index]>;

/** The JSON an operation answers with. */
export type ResultOf<Id extends ApiMethod> = Operations[Id] extends (...args: never[]) => Promise<infer Response>
  ? Response extends { data: infer Data }
    ? Data
    : never
  : never;

/** A page of a REST list: `items`, the total `count`, and the `next` page token. */
export type Page<T> = List & { items: T[] };
