import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

/** The schema as SDL, sorted so that the file diffs only when the API changes. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
