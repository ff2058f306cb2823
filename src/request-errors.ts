import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Every error a client sees carries a code. The upstream and argument errors
 * get theirs where they are made; this gives one to the errors graphql-js
 * makes itself: a document that does not parse, one that does not validate,
 * and variables that do not fit their types (bad input, like a bad argument).
 */

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

export function requestErrorCodes(): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError) replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // No `data` at all: execution never started, so the variables were refused.
          if (!('errors' in result) || !result.errors?.length || result.data !== undefined) return;
          setResult({ ...result, errors: result.errors.map((error) => withCode(error, 'BAD_USER_INPUT')) });
        },
      };
    },
  };
}
