import { GraphQLError } from 'graphql';

/**
 * The error codes of the contract. Every error a client can see carries one in
 * `extensions.code`; anything else is an unexpected error and Yoga masks it.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_UNAVAILABLE';

export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, status?: number, extra?: Record<string, unknown>) {
    super(message, {
      extensions: { ...extra, code, ...(status === undefined ? {} : { status }) },
    });
    this.code = code;
    this.status = status;
  }
}

/** An argument that would make an invalid REST request; raised before any call. */
export function badUserInput(message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message);
}

const codeByStatus: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  422: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

/** Maps a REST error answer to the contract's code, keeping GitBook's message. */
export function fromRestStatus(status: number, message: string, extra?: Record<string, unknown>): GatewayError {
  return new GatewayError(codeByStatus[status] ?? 'UPSTREAM_ERROR', message, status, extra);
}
