import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs (pino): JSON lines on stdout that a log pipeline can index.
 * What goes in them is chosen where they are written; tokens and variable
 * values never are.
 */
export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gitbook-integrations-graphql' },
      // Epoch milliseconds (pino's default): an ISO date costs more than the
      // rest of a request's line, and every log pipeline reads either.
      // No `redact`: it walks every line, and the gateway's lines are built
      // from chosen fields that never hold a header or a token (tested).
    },
    destination,
  );
}

/** A logger that writes nothing: the default of gateways built in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** Yoga's logger interface over pino: unexpected errors keep their stack, for the operator only. */
export function yogaLogger(logger: Logger) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first instanceof Error) logger[level]({ err: first }, first.message);
      else logger[level]({ detail: rest.length > 0 ? rest : undefined }, String(first));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
