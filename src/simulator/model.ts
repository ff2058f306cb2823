/**
 * The shapes of the simulator's state. Records hold the REST objects (typed with `@gitbook/api`)
 * minus what depends on who is asking (permissions, an integration's embedded owner) or what is
 * derived (an installation's `spaces` count); present.ts adds those when answering.
 */
import type {
  Integration,
  IntegrationConfiguration,
  IntegrationContentInstallationBase,
  IntegrationEvent,
  IntegrationEventTrace,
  IntegrationInstallation,
  IntegrationInstallationStatus,
  IntegrationSecrets,
  Organization,
  Site,
  Space,
} from '@gitbook/api';
import { IntegrationTarget, IntegrationInstallationStatus as Status } from '@gitbook/api';

export type OrganizationRecord = Omit<Organization, 'permissions'>;
export type SpaceRecord = Omit<Space, 'permissions'>;
/** REST sites do not name their organization, so the record keeps it beside the object. */
export interface SiteRecord {
  organizationId: string;
  site: Omit<Site, 'permissions'>;
}

export interface IntegrationRecord {
  /** GitBook's internal id of the integration: events carry it as `integrationId`. */
  id: string;
  ownerId: string;
  integration: Omit<Integration, 'owner' | 'permissions'>;
  /** What publish received and the REST object never shows. */
  script: string;
  runtime: 'v1' | 'v2';
  secrets: IntegrationSecrets;
  development?: { tunnelUrl: string; all: boolean };
  tasks: QueuedTask[];
  /** In creation order. */
  installations: Map<string, InstallationRecord>;
  /** Newest first. */
  events: EventRecord[];
}

export interface QueuedTask {
  task: object;
  schedule: number;
  queuedAt: string;
  runAt: string;
}

export type ContentKind = 'space' | 'site';

export interface ContentInstallationRecord {
  kind: ContentKind;
  /** The space or site id. */
  targetId: string;
  installation: IntegrationContentInstallationBase;
}

export interface InstallationRecord {
  integrationName: string;
  organizationId: string;
  installation: Omit<IntegrationInstallation, 'spaces'>;
  /** Per content kind, keyed by space/site id, in creation order. */
  content: Record<ContentKind, Map<string, ContentInstallationRecord>>;
  /** Temporary tokens issued through createIntegrationInstallationToken. */
  tokens: string[];
}

export interface EventRecord {
  integrationName: string;
  /** The organization of the installation the event belongs to, kept after an uninstall. */
  organizationId: string | undefined;
  event: IntegrationEvent;
  trace: IntegrationEventTrace;
}

export interface WorldState {
  organizations: Map<string, OrganizationRecord>;
  spaces: Map<string, SpaceRecord>;
  sites: Map<string, SiteRecord>;
  integrations: Map<string, IntegrationRecord>;
}

/** The present of the seeded world: every seeded timestamp is before it, writes come after it. */
export const WORLD_NOW = Date.parse('2025-06-30T12:00:00.000Z');

/** Whether an integration's target lets it be enabled on spaces or sites. */
export function supports(record: IntegrationRecord, kind: ContentKind): boolean {
  const target = record.integration.target;
  return target === IntegrationTarget.All || (target as string) === kind;
}

/**
 * An installation is `pending` until every property its configuration schema requires is set;
 * integrations configured through a ContentKit component have no such schema and are active at once.
 */
export function configurationStatus(
  schema: IntegrationConfiguration | undefined,
  configuration: Record<string, unknown>,
): IntegrationInstallationStatus {
  if (!schema || !('properties' in schema)) return Status.Active;
  const missing = (schema.required ?? []).some((key) => configuration[key] === undefined || configuration[key] === '');
  return missing ? Status.Pending : Status.Active;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
