import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Every error a client sees carries a code. The upstream and argument errors
 * get theirs where they are made; this gives one to the errors graphql-js
 * makes itself: a document that does not parse, one that does not validate,
 * and variables that do not fit their types (bad input, like a bad argument),
 * and to the HTTP-level refusals of Yoga's plugins (CSRF...): BAD_REQUEST.
 */

function withCode(error: GraphQLError, code: string, http?: { status: number; spec: boolean }): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    // Yoga reads `http` for the response status, and strips it from the body.
    extensions: { ...error.extensions, code, ...(http ? { http } : {}) },
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
    onResultProcess({ result, setResult }) {
      // What the other hooks did not see: refusals before parsing (a missing CSRF header...).
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.some((error) => !error.extensions?.code))
        return;
      setResult({
        ...result,
        errors: result.errors.map((error) => (error instanceof GraphQLError ? withCode(error, 'BAD_REQUEST') : error)),
      });
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // No `data` at all: execution never started, so the variables were refused.
          if (!('errors' in result) || !result.errors?.length || result.data !== undefined) return;
          // A request error: 400 for application/graphql-response+json, 200 for
          // application/json (`spec`), as GraphQL over HTTP says of variables that do not coerce.
          setResult({
            ...result,
            errors: result.errors.map((error) => withCode(error, 'BAD_USER_INPUT', { status: 400, spec: true })),
          });
        },
      };
    },
  };
}
