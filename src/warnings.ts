import type { Plugin } from 'graphql-yoga';

/**
 * What a response says besides its data and errors: things the client
 * should know but that failed nothing, such as a value GitBook's API sent
 * that this gateway does not know yet. They reach the client in
 * `extensions.warnings`, so nothing the API said is dropped silently.
 */
export interface Warning {
  code: 'UNKNOWN_ENUM_VALUE';
  message: string;
  /** Where in the response the value was served. */
  path: readonly (string | number)[];
  /** The GraphQL enum that does not know the value. */
  enum: string;
  /** The value GitBook's API sent. */
  value: unknown;
}

/** A response lists at most this many; the rest are only counted (a page of a thousand items could repeat one). */
export const MAX_WARNINGS = 50;

export class Warnings {
  private readonly list: Warning[] = [];
  private omitted = 0;

  add(warning: Warning): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(warning);
    else this.omitted += 1;
  }

  /** What goes into the response's extensions, or undefined when there is nothing to say. */
  extensions(): { warnings: Warning[]; warningsOmitted?: number } | undefined {
    if (this.list.length === 0) return undefined;
    return this.omitted === 0 ? { warnings: this.list } : { warnings: this.list, warningsOmitted: this.omitted };
  }
}

/** Puts the warnings an operation gathered in its response's `extensions`. */
export function publishWarnings(): Plugin<{ warnings?: Warnings }> {
  return {
    onExecute({ args }) {
      const warnings = (args.contextValue as { warnings?: Warnings }).warnings;
      return {
        onExecuteDone({ result, setResult }) {
          if (!warnings) return;
          if (Symbol.asyncIterator in result) {
            // Incremental delivery (@defer, @stream): the last part carries the warnings of all,
            // so the merged answer (and the response cache's copy of it) has them all once.
            return {
              onNext({ result: part, setResult: setPart }) {
                if ((part as { hasNext?: boolean }).hasNext !== false) return;
                const extensions = warnings.extensions();
                if (extensions) setPart({ ...part, extensions: { ...part.extensions, ...extensions } });
              },
            };
          }
          const extensions = warnings.extensions();
          if (extensions) setResult({ ...result, extensions: { ...result.extensions, ...extensions } });
        },
      };
    },
  };
}
