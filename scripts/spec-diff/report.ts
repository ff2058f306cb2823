/**
 * The terminal report of a spec diff: one line per change, grouped by what a
 * maintainer has to do about it, sorted so two runs over the same versions
 * print the same text.
 */
import type { Change, ChangeKind, SpecDiff } from './compare.js';

const GROUPS: { kind: ChangeKind; title: string; one: string; many: string }[] = [
  { kind: 'operation', title: 'Operations', one: 'operation', many: 'operations' },
  { kind: 'parameter', title: 'Parameters', one: 'parameter', many: 'parameters' },
  { kind: 'property', title: 'Request and response bodies', one: 'property', many: 'properties' },
  // The gateway's GraphQL enums are built from the pinned values: a new one is a value they do not know.
  { kind: 'enum', title: 'Enum values', one: 'enum value', many: 'enum values' },
  { kind: 'branch', title: 'Union branches (oneOf / anyOf / allOf)', one: 'branch', many: 'branches' },
  { kind: 'status', title: 'Response status codes and media types', one: 'response', many: 'responses' },
  { kind: 'schema', title: 'Component schemas entering or leaving the scope', one: 'schema', many: 'schemas' },
];

const SIGN_ORDER = { '+': 0, '-': 1, '~': 2 } as const;

function byLocation(a: Change, b: Change): number {
  if (a.location !== b.location) return a.location < b.location ? -1 : 1;
  if (a.sign !== b.sign) return SIGN_ORDER[a.sign] - SIGN_ORDER[b.sign];
  return a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0;
}

export const changeLine = (change: Change) => `  ${change.sign} ${change.location}  ${change.detail}`;

export function summaryLine(changes: Change[]): string {
  const counts = GROUPS.map(({ kind, one, many }) => {
    const count = changes.filter((change) => change.kind === kind).length;
    return `${count} ${count === 1 ? one : many}`;
  });
  return `Summary: ${counts.join(', ')} (${changes.length} ${changes.length === 1 ? 'difference' : 'differences'})`;
}

export function formatReport({ changes, scope }: SpecDiff): string[] {
  const lines: string[] = [];
  for (const { kind, title } of GROUPS) {
    const group = changes.filter((change) => change.kind === kind).sort(byLocation);
    if (!group.length) continue;
    lines.push(`${title} (${group.length})`, ...group.map(changeLine), '');
  }
  if (!changes.length) {
    const [operations, schemas] = [scope.operations[1], scope.schemas[1]];
    lines.push(
      `No differences in the gateway's scope (${operations} operations, ${schemas} component schemas compared).`,
    );
  }
  lines.push(summaryLine(changes));
  return lines;
}
