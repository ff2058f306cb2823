/**
 * The simulator's in-memory state and the mutations that keep it consistent (record shapes in
 * model.ts). Access rules live in access.ts and request semantics in operations.ts: the store
 * trusts its callers.
 */
import type {
  Event,
  IntegrationEvent,
  IntegrationEventLog,
  PublishIntegration,
  UpdateIntegrationInstallation,
  UpdateIntegrationSpaceInstallation,
} from '@gitbook/api';
import {
  IntegrationInstallationSiteSelection,
  IntegrationInstallationSpaceSelection,
  IntegrationTarget,
  IntegrationVisibility,
  IntegrationInstallationStatus as Status,
} from '@gitbook/api';
import { SEEDED_USERS, type SeededUser } from './catalog.js';
import {
  type ContentInstallationRecord,
  type ContentKind,
  compare,
  configurationStatus,
  type EventRecord,
  type InstallationRecord,
  type IntegrationRecord,
  type OrganizationRecord,
  type QueuedTask,
  type SiteRecord,
  type SpaceRecord,
  supports,
  WORLD_NOW,
} from './model.js';
import { createRng, type Rng } from './random.js';
import { buildWorld } from './seed.js';
import { urls } from './urls.js';

export class SimulatorStore {
  organizations!: Map<string, OrganizationRecord>;
  spaces!: Map<string, SpaceRecord>;
  sites!: Map<string, SiteRecord>;
  integrations!: Map<string, IntegrationRecord>;
  /** Bearer token → user. */
  readonly users: ReadonlyMap<string, SeededUser> = new Map(Object.values(SEEDED_USERS).map((u) => [u.token, u]));

  private rng!: Rng;
  private clock = WORLD_NOW;
  private spacesByOrg = new Map<string, SpaceRecord[]>();
  private sitesByOrg = new Map<string, SiteRecord[]>();

  constructor(readonly seed: number) {
    this.reset();
  }

  /** Restore the seeded state (same seed, same data, same ids for the same later writes). */
  reset(): void {
    const world = buildWorld(this.seed);
    this.organizations = world.organizations;
    this.spaces = world.spaces;
    this.sites = world.sites;
    this.integrations = world.integrations;
    this.rng = createRng(this.seed ^ 0x5eed5eed);
    this.clock = WORLD_NOW;
    this.spacesByOrg = groupBy(this.spaces.values(), (space) => space.organization);
    this.sitesByOrg = groupBy(this.sites.values(), (site) => site.organizationId);
  }

  /** A logical clock: each write happens one second after the previous one, so runs are reproducible. */
  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  newId(): string {
    return this.rng.id();
  }

  // --- Lookups ------------------------------------------------------------------------------

  /** Every integration, ordered by name (the order of every integration list). */
  integrationList(): IntegrationRecord[] {
    return [...this.integrations.values()].sort((a, b) => compare(a.integration.name, b.integration.name));
  }

  /** By id, or by hostname as publishIntegration's `organization` allows. */
  findOrganization(idOrHostname: string): OrganizationRecord | undefined {
    const byId = this.organizations.get(idOrHostname);
    if (byId) return byId;
    for (const org of this.organizations.values()) if (org.hostname === idOrHostname) return org;
    return undefined;
  }

  spacesOf(orgId: string): SpaceRecord[] {
    return this.spacesByOrg.get(orgId) ?? [];
  }

  sitesOf(orgId: string): SiteRecord[] {
    return this.sitesByOrg.get(orgId) ?? [];
  }

  contentOwner(kind: ContentKind, targetId: string): string | undefined {
    if (kind === 'space') return this.spaces.get(targetId)?.organization;
    return this.sites.get(targetId)?.organizationId;
  }

  /** The installation of an integration in an organization (there is at most one). */
  installationIn(record: IntegrationRecord, orgId: string): InstallationRecord | undefined {
    for (const inst of record.installations.values()) if (inst.organizationId === orgId) return inst;
    return undefined;
  }

  /** All installations in an organization, ordered by integration name. */
  installationsInOrganization(orgId: string): { record: IntegrationRecord; installation: InstallationRecord }[] {
    const out: { record: IntegrationRecord; installation: InstallationRecord }[] = [];
    for (const record of this.integrationList()) {
      const installation = this.installationIn(record, orgId);
      if (installation) out.push({ record, installation });
    }
    return out;
  }

  // --- Integrations -------------------------------------------------------------------------

  /** publishIntegration: create, or replace the manifest of an existing integration (version + 1). */
  publish(name: string, ownerId: string, body: PublishIntegration): IntegrationRecord {
    const existing = this.integrations.get(name);
    const version = existing ? existing.integration.version + 1 : 1;
    const integrationUrls = urls.integration(name, version);
    const integration: IntegrationRecord['integration'] = {
      object: 'integration',
      name,
      version,
      title: body.title,
      description: body.description,
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      previewImages: (body.previewImages ?? []).map((_, index) => `${integrationUrls.assets}/preview-${index + 1}.png`),
      target: body.target ?? IntegrationTarget.All,
      verified: existing?.integration.verified ?? false,
      visibility: body.visibility ?? IntegrationVisibility.Private,
      scopes: body.scopes,
      categories: body.categories ?? [],
      blocks: body.blocks ?? [],
      contentSources: body.contentSources ?? [],
      configurations: body.configurations ?? {},
      externalLinks: body.externalLinks ?? [],
      urls: body.icon !== undefined || existing?.integration.urls.icon ? integrationUrls : withoutIcon(integrationUrls),
      ...(body.contentSecurityPolicy !== undefined ? { contentSecurityPolicy: body.contentSecurityPolicy } : {}),
    };
    const record: IntegrationRecord = existing
      ? { ...existing, integration, script: body.script, runtime: body.runtime ?? 'v1', secrets: body.secrets ?? {} }
      : {
          id: this.newId(),
          ownerId,
          integration,
          script: body.script,
          runtime: body.runtime ?? 'v1',
          secrets: body.secrets ?? {},
          tasks: [],
          installations: new Map(),
          events: [],
        };
    this.integrations.set(name, record);
    return record;
  }

  /** unpublishIntegration: the integration goes, with its installations and their events. */
  unpublish(name: string): void {
    this.integrations.delete(name);
  }

  queueTask(record: IntegrationRecord, task: object, schedule: number): QueuedTask {
    const queuedAt = this.now();
    const queued = { task, schedule, queuedAt, runAt: new Date(Date.parse(queuedAt) + schedule * 1000).toISOString() };
    record.tasks.push(queued);
    return queued;
  }

  // --- Installations ------------------------------------------------------------------------

  install(record: IntegrationRecord, orgId: string): InstallationRecord {
    const id = this.newId();
    const now = this.now();
    const name = record.integration.name;
    const configuration = {};
    const installation: InstallationRecord = {
      integrationName: name,
      organizationId: orgId,
      installation: {
        id,
        status: configurationStatus(record.integration.configurations?.account, configuration),
        space_selection: IntegrationInstallationSpaceSelection.Selected,
        site_selection: IntegrationInstallationSiteSelection.Selected,
        configuration,
        createdAt: now,
        updatedAt: now,
        urls: urls.installation(name, id, orgId),
        externalIds: [],
        target: { organization: orgId },
      },
      content: { space: new Map(), site: new Map() },
      tokens: [],
    };
    record.installations.set(id, installation);
    this.emit(record, installation, {
      eventId: '',
      type: 'installation_setup',
      installationId: id,
      status: installation.installation.status,
    });
    return installation;
  }

  updateInstallation(record: IntegrationRecord, inst: InstallationRecord, patch: UpdateIntegrationInstallation): void {
    const current = inst.installation;
    const previous = { status: current.status, configuration: current.configuration };
    if (patch.externalIds !== undefined) current.externalIds = patch.externalIds;
    if (patch.configuration !== undefined) {
      current.configuration = patch.configuration;
      if (current.status !== Status.Paused) {
        current.status = configurationStatus(record.integration.configurations?.account, current.configuration);
      }
    }
    if (patch.space_selection !== undefined) current.space_selection = patch.space_selection;
    if (patch.site_selection !== undefined) current.site_selection = patch.site_selection;
    current.updatedAt = this.now();
    // Selecting "all" enables the installation on every space (or site) of the organization, as GitBook does.
    if (patch.space_selection === IntegrationInstallationSpaceSelection.All && supports(record, 'space')) {
      for (const space of this.spacesOf(inst.organizationId)) {
        if (!inst.content.space.has(space.id)) this.installOn(record, inst, 'space', space.id);
      }
    }
    if (patch.site_selection === IntegrationInstallationSiteSelection.All && supports(record, 'site')) {
      for (const { site } of this.sitesOf(inst.organizationId)) {
        if (!inst.content.site.has(site.id)) this.installOn(record, inst, 'site', site.id);
      }
    }
    this.emit(record, inst, {
      eventId: '',
      type: 'installation_setup',
      installationId: current.id,
      status: current.status,
      previous,
    });
  }

  uninstall(record: IntegrationRecord, inst: InstallationRecord): void {
    record.installations.delete(inst.installation.id);
    this.emit(record, inst, {
      eventId: '',
      type: 'installation_deleted',
      installationId: inst.installation.id,
      previous: { configuration: inst.installation.configuration },
    });
  }

  createToken(inst: InstallationRecord): string {
    const token = `gitbook_integration_${inst.integrationName.replace(/[^a-zA-Z0-9]/g, '_')}_${this.rng.id(32)}`;
    inst.tokens.push(token);
    return token;
  }

  // --- Space and site installations ---------------------------------------------------------

  installOn(
    record: IntegrationRecord,
    inst: InstallationRecord,
    kind: ContentKind,
    targetId: string,
  ): ContentInstallationRecord {
    const configuration = {};
    const content: ContentInstallationRecord = {
      kind,
      targetId,
      installation: {
        integration: inst.integrationName,
        installation: inst.installation.id,
        status: configurationStatus(record.integration.configurations?.[kind], configuration),
        configuration,
        externalIds: [],
        urls: urls.contentInstallation(
          inst.integrationName,
          inst.installation.id,
          kind === 'space' ? 'spaces' : 'sites',
          targetId,
        ),
      },
    };
    inst.content[kind].set(targetId, content);
    const status = content.installation.status;
    const installationId = inst.installation.id;
    this.emit(
      record,
      inst,
      kind === 'space'
        ? { eventId: '', type: 'space_installation_setup', installationId, spaceId: targetId, status }
        : { eventId: '', type: 'site_installation_setup', installationId, siteId: targetId, status },
    );
    return content;
  }

  updateContentInstallation(
    record: IntegrationRecord,
    inst: InstallationRecord,
    content: ContentInstallationRecord,
    patch: UpdateIntegrationSpaceInstallation,
  ): void {
    const current = content.installation;
    const previous = { status: current.status, configuration: current.configuration };
    if (patch.externalIds !== undefined) current.externalIds = patch.externalIds;
    if (patch.configuration !== undefined) {
      current.configuration = patch.configuration;
      if (current.status !== Status.Paused) {
        current.status = configurationStatus(record.integration.configurations?.[content.kind], patch.configuration);
      }
    }
    const installationId = inst.installation.id;
    const status = current.status;
    this.emit(
      record,
      inst,
      content.kind === 'space'
        ? { eventId: '', type: 'space_installation_setup', installationId, spaceId: content.targetId, status, previous }
        : { eventId: '', type: 'site_installation_setup', installationId, siteId: content.targetId, status, previous },
    );
  }

  uninstallFrom(record: IntegrationRecord, inst: InstallationRecord, content: ContentInstallationRecord): void {
    inst.content[content.kind].delete(content.targetId);
    const installationId = inst.installation.id;
    const previous = { configuration: content.installation.configuration };
    this.emit(
      record,
      inst,
      content.kind === 'space'
        ? { eventId: '', type: 'space_installation_deleted', installationId, spaceId: content.targetId, previous }
        : { eventId: '', type: 'site_installation_deleted', installationId, siteId: content.targetId, previous },
    );
  }

  // --- Events -------------------------------------------------------------------------------

  /**
   * Records `count` new events of an integration, as GitBook does when its installations
   * change or it receives webhooks: each an `installation_setup` of one of its installations
   * (the given one, else each in turn), newer than every event before. For tests and for a
   * newcomer watching live events in GraphiQL. Returns the new events, oldest first.
   */
  recordEvents(integrationName: string, count: number, installationId?: string): IntegrationEvent[] {
    const record = this.integrations.get(integrationName);
    if (!record) throw new Error(`no integration "${integrationName}"`);
    const installations = [...record.installations.values()].filter(
      (inst) => installationId === undefined || inst.installation.id === installationId,
    );
    if (installations.length === 0) throw new Error(`no installation of "${integrationName}" to record events of`);
    const recorded: IntegrationEvent[] = [];
    for (let index = 0; index < count; index += 1) {
      const inst = installations[index % installations.length] as InstallationRecord;
      const { status } = inst.installation;
      this.emit(record, inst, {
        eventId: '',
        type: 'installation_setup',
        installationId: inst.installation.id,
        status,
      });
      recorded.push((record.events[0] as EventRecord).event);
    }
    return recorded;
  }

  /** Record the event GitBook would have dispatched to the integration for a write. */
  private emit(record: IntegrationRecord, inst: InstallationRecord, payload: Event): void {
    const id = this.newId();
    const createdAt = this.now();
    const logs: IntegrationEventLog[] = [
      {
        level: 'debug',
        message: `Dispatching ${payload.type} to ${record.integration.name}@${record.integration.version}`,
        timestamp: createdAt,
      },
      { level: 'info', message: `Handled ${payload.type} in ${12 + this.rng.int(0, 80)}ms`, timestamp: createdAt },
    ];
    record.events.unshift({
      integrationName: record.integration.name,
      organizationId: inst.organizationId,
      event: {
        id,
        integrationId: record.id,
        installationId: inst.installation.id,
        createdAt,
        payload: { ...payload, eventId: id },
        status: 'success',
      },
      trace: { logs },
    });
  }
}

function withoutIcon<T extends { icon?: string }>(value: T): Omit<T, 'icon'> {
  const { icon: _icon, ...rest } = value;
  return rest;
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
