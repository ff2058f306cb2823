import { createLogger, GatewayMetrics, type Observability, restTelemetry } from '../../src/observability/index.js';
import type { RestTelemetry } from '../../src/upstream/client.js';

/**
 * Logs, metrics and REST telemetry that a test reads instead of the process
 * printing them: the lines a gateway logs are captured, parsed, and kept off
 * the test output.
 */
export interface Captured {
  observability: Observability;
  /** For `new Upstream({ ..., telemetry })`: the breaker and REST calls report here. */
  telemetry: RestTelemetry;
  /** Every line logged so far, parsed. */
  lines(): Record<string, any>[];
  /** Every line logged so far, as written. */
  text(): string;
  clear(): void;
}

export function captured(level = 'info'): Captured {
  const written: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void written.push(line) });
  const metrics = new GatewayMetrics();
  const observability: Observability = { logger, metrics };
  return {
    observability,
    telemetry: restTelemetry({ metrics, logger }),
    lines: () => written.map((line) => JSON.parse(line) as Record<string, any>),
    text: () => written.join(''),
    clear: () => {
      written.length = 0;
    },
  };
}
