/**
 * One handler per simulated operation: the semantics GitBook gives each route (access via
 * access.ts, filters, pagination, status codes). By the time a handler runs, server.ts has
 * authenticated the caller and spec.ts has validated path, query and body against the spec, so
 * handlers only check what the spec cannot express.
 */
import { createRequire } from 'node:module';
import type {
  InstalledIntegration,
  IntegrationConfiguration,
  OrganizationTarget,
  PublishIntegration,
  RenderIntegrationUI,
  SiteIntegrationScript,
  UpdateIntegrationInstallation,
  UpdateIntegrationSpaceInstallation,
} from '@gitbook/api';
import { IntegrationScope, IntegrationInstallationStatus as Status } from '@gitbook/api';
import {
  canSeeEvent,
  canSeeInstallation,
  canSeeIntegration,
  isDeveloper,
  isMember,
  requireDeveloper,
  requireInstallation,
  requireIntegration,
  requireOrganizationMember,
  type Viewer,
} from './access.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { type ContentKind, type InstallationRecord, type IntegrationRecord, supports } from './model.js';
import { paginate } from './pagination.js';
import { presentContentInstallation, presentInstallation, presentIntegration, presentOrganization } from './present.js';
import { render } from './render.js';
import { type OperationId, validateComponent } from './spec.js';
import type { SimulatorStore } from './store.js';
import { urls } from './urls.js';

const lz = createRequire(import.meta.url)('lz-string') as typeof import('lz-string');

export type QueryValue = string | number | boolean;

export interface OperationContext {
  store: SimulatorStore;
  viewer: Viewer;
  /** Decoded and validated path parameters. */
  params: Record<string, string>;
  /** Validated query parameters, typed per the spec (numbers and booleans already parsed). */
  query: Record<string, QueryValue>;
  /** The validated JSON body, or undefined. */
  body: unknown;
}

export interface OperationResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: OperationContext) => OperationResult;

const ok = (body: unknown, headers?: Record<string, string>): OperationResult => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
const empty = (status: 204 | 205): OperationResult => ({ status });

function param(ctx: OperationContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`path parameter ${name} missing after validation`);
  return value;
}

const text = (value: QueryValue | undefined) => (typeof value === 'string' ? value : undefined);

function page<T, U>(all: readonly T[], query: OperationContext['query'], present: (item: T) => U) {
  const result = paginate(all, query);
  return { ...result, items: result.items.map(present) };
}

// --- Integration filters (listIntegrations, listOrganizationIntegrations) -----------------------

function matchesSearch(record: IntegrationRecord, search: string | undefined): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return (
    record.integration.name.toLowerCase().includes(needle) || record.integration.title.toLowerCase().includes(needle)
  );
}

/** `*.atlassian.net`, `www.figma.com` → the domains a blockDomain filter may name. */
function unfurlHost(pattern: string): string | undefined {
  const host = /^[a-z]+:\/\/([^/?#]+)/i.exec(pattern)?.[1]?.toLowerCase();
  return host?.replace(/^\*\./, '').replace(/^www\./, '');
}

/**
 * The spec's integration filters. `target` keeps the integrations installable on that target, so
 * `space` includes those targeting `all`; `blockDomain` matches a block's unfurl host or a parent
 * domain of it (`figma.com` matches `https://www.figma.com/file/`).
 */
function integrationFilter(query: OperationContext['query']): (record: IntegrationRecord) => boolean {
  const { category, blockDomain, blocks, contentSources, owner, scope, target } = query;
  const domain = typeof blockDomain === 'string' ? blockDomain.toLowerCase().replace(/^www\./, '') : undefined;
  return ({ integration, ownerId }) =>
    (category === undefined || (integration.categories as string[]).includes(String(category))) &&
    (domain === undefined ||
      (integration.blocks ?? []).some((block) =>
        (block.urlUnfurl ?? []).some((pattern) => {
          const host = unfurlHost(pattern);
          return host !== undefined && (host === domain || host.endsWith(`.${domain}`));
        }),
      )) &&
    (blocks === undefined || (integration.blocks?.length ?? 0) > 0 === blocks) &&
    (contentSources === undefined || (integration.contentSources?.length ?? 0) > 0 === contentSources) &&
    (owner === undefined || ownerId === owner) &&
    (scope === undefined || (integration.scopes as string[]).includes(String(scope))) &&
    (target === undefined || integration.target === target || (target !== 'all' && integration.target === 'all'));
}

function listIntegrationsWhere(ctx: OperationContext, listed: (record: IntegrationRecord) => boolean): OperationResult {
  const filter = integrationFilter(ctx.query);
  const search = text(ctx.query.search);
  const all = ctx.store
    .integrationList()
    .filter((r) => listed(r) && canSeeIntegration(ctx.viewer, r) && filter(r) && matchesSearch(r, search));
  return ok(page(all, ctx.query, (r) => presentIntegration(ctx.store, r, ctx.viewer)));
}

// --- Installations ---------------------------------------------------------------------------

/**
 * GitBook checks configurations against the integration's schema: declared properties must have
 * the declared type (and enum). Undeclared keys are kept, as integrations store their own data there.
 */
function checkConfiguration(
  schema: IntegrationConfiguration | undefined,
  configuration: Record<string, unknown> | undefined,
  what: string,
): void {
  if (!configuration || !schema || !('properties' in schema)) return;
  for (const [key, value] of Object.entries(configuration)) {
    const property = schema.properties[key];
    if (!property || property.type === 'button') continue;
    if (typeof value !== property.type) {
      throw badRequest(`Invalid ${what} configuration: "${key}" must be a ${property.type}`);
    }
    if (property.type === 'string' && property.enum && !property.enum.includes(value as string)) {
      throw badRequest(`Invalid ${what} configuration: "${key}" must be one of: ${property.enum.join(', ')}`);
    }
  }
}

const KIND_TITLE: Record<ContentKind, string> = { space: 'Space', site: 'Site' };

function visibleInstallations(ctx: OperationContext, record: IntegrationRecord): InstallationRecord[] {
  return [...record.installations.values()].filter((inst) => canSeeInstallation(ctx.viewer, record, inst));
}

function resolveInstallation(ctx: OperationContext) {
  const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
  const inst = requireInstallation(ctx.viewer, record, param(ctx, 'installationId'));
  return { record, inst };
}

function resolveContent(ctx: OperationContext, kind: ContentKind) {
  const { record, inst } = resolveInstallation(ctx);
  const targetId = param(ctx, kind === 'space' ? 'spaceId' : 'siteId');
  return { record, inst, targetId, content: inst.content[kind].get(targetId) };
}

function requireContent(ctx: OperationContext, kind: ContentKind) {
  const resolved = resolveContent(ctx, kind);
  const { content } = resolved;
  if (!content) {
    throw notFound(
      `Integration "${resolved.record.integration.name}" is not installed on ${kind} "${resolved.targetId}" ` +
        `through installation "${resolved.inst.installation.id}"`,
    );
  }
  return { ...resolved, content };
}

const extended = (ctx: OperationContext) => ctx.query.extended === true;

function listContentOfIntegration(ctx: OperationContext, kind: ContentKind): OperationResult {
  const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
  const externalId = text(ctx.query.externalId);
  const all = visibleInstallations(ctx, record)
    .flatMap((inst) => [...inst.content[kind].values()])
    .filter((content) => externalId === undefined || content.installation.externalIds.includes(externalId));
  return ok(
    page(all, ctx.query, (content) => presentContentInstallation(ctx.store, content, ctx.viewer, extended(ctx))),
  );
}

function listContentOfInstallation(ctx: OperationContext, kind: ContentKind): OperationResult {
  const { inst } = resolveInstallation(ctx);
  return ok(
    page([...inst.content[kind].values()], ctx.query, (content) =>
      presentContentInstallation(ctx.store, content, ctx.viewer, extended(ctx)),
    ),
  );
}

function installOnContent(ctx: OperationContext, kind: ContentKind, targetId: string): OperationResult {
  const { record, inst } = resolveInstallation(ctx);
  const name = record.integration.name;
  if (!supports(record, kind)) {
    throw badRequest(
      `Integration "${name}" targets "${record.integration.target}" and cannot be installed on a ${kind}`,
    );
  }
  const owner = ctx.store.contentOwner(kind, targetId);
  if (owner === undefined) throw notFound(`${KIND_TITLE[kind]} "${targetId}" not found`);
  if (owner !== inst.organizationId) {
    throw badRequest(
      `${KIND_TITLE[kind]} "${targetId}" does not belong to organization "${inst.organizationId}" ` +
        `of installation "${inst.installation.id}"`,
    );
  }
  if (inst.content[kind].has(targetId))
    throw conflict(`Integration "${name}" is already installed on ${kind} "${targetId}"`);
  const content = ctx.store.installOn(record, inst, kind, targetId);
  return {
    status: 201,
    body: presentContentInstallation(ctx.store, content, ctx.viewer, extended(ctx)),
    headers: { Location: content.installation.urls.location },
  };
}

function getContent(ctx: OperationContext, kind: ContentKind): OperationResult {
  const { content } = requireContent(ctx, kind);
  return ok(presentContentInstallation(ctx.store, content, ctx.viewer, extended(ctx)));
}

function updateContent(ctx: OperationContext, kind: ContentKind): OperationResult {
  const { record, inst, content } = requireContent(ctx, kind);
  // The space and site update bodies have the same shape.
  const patch = ctx.body as UpdateIntegrationSpaceInstallation;
  checkConfiguration(record.integration.configurations?.[kind], patch.configuration, kind);
  ctx.store.updateContentInstallation(record, inst, content, patch);
  return ok(presentContentInstallation(ctx.store, content, ctx.viewer, extended(ctx)));
}

function uninstallFromContent(ctx: OperationContext, kind: ContentKind): OperationResult {
  const { record, inst, content } = resolveContent(ctx, kind);
  if (!content) return empty(204);
  ctx.store.uninstallFrom(record, inst, content);
  return empty(205);
}

// --- Organizations ---------------------------------------------------------------------------

function requireSiteOf(ctx: OperationContext, orgId: string, siteId: string) {
  const site = ctx.store.sites.get(siteId);
  if (!site || site.organizationId !== orgId) throw notFound(`Site "${siteId}" not found in organization "${orgId}"`);
  return site;
}

function installedIntegrationsOf(
  ctx: OperationContext,
  orgId: string,
): { record: IntegrationRecord; installation: InstallationRecord }[] {
  return ctx.store.installationsInOrganization(orgId).filter(({ record }) => canSeeIntegration(ctx.viewer, record));
}

// --- Render ----------------------------------------------------------------------------------

function decodeRenderRequest(encoded: string): RenderIntegrationUI {
  const json = lz.decompressFromEncodedURIComponent(encoded);
  if (!json)
    throw badRequest('Invalid query parameter "request": not an LZ-string compressToEncodedURIComponent payload');
  let request: unknown;
  try {
    request = JSON.parse(json);
  } catch {
    throw badRequest('Invalid query parameter "request": the decompressed payload is not JSON');
  }
  validateComponent('RenderIntegrationUI', request, 'Invalid render request');
  return request as RenderIntegrationUI;
}

// --- The handlers ----------------------------------------------------------------------------

export const handlers: Record<OperationId, Handler> = {
  listIntegrations: (ctx) => listIntegrationsWhere(ctx, (r) => r.integration.visibility === 'public'),

  getIntegrationByName: (ctx) =>
    ok(
      presentIntegration(
        ctx.store,
        requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName')),
        ctx.viewer,
      ),
    ),

  publishIntegration: (ctx) => {
    const name = param(ctx, 'integrationName');
    const body = ctx.body as PublishIntegration;
    const org = ctx.store.findOrganization(body.organization);
    if (!org) throw notFound(`Organization "${body.organization}" could not be found`);
    if (!isMember(ctx.viewer, org.id)) throw forbidden(`You are not a member of organization "${org.id}"`);
    const existing = ctx.store.integrations.get(name);
    if (existing && !isDeveloper(ctx.viewer, existing)) {
      // A private integration of another organization stays invisible: its name is just taken.
      if (!canSeeIntegration(ctx.viewer, existing)) throw conflict(`The integration name "${name}" is already taken`);
      requireDeveloper(ctx.viewer, existing, 'publish it');
    }
    if (existing && existing.ownerId !== org.id) {
      throw badRequest(
        `Integration "${name}" is owned by organization "${existing.ownerId}" and cannot be published under "${org.id}"`,
      );
    }
    return ok(presentIntegration(ctx.store, ctx.store.publish(name, org.id, body), ctx.viewer));
  },

  unpublishIntegration: (ctx) => {
    const record = ctx.store.integrations.get(param(ctx, 'integrationName'));
    if (!record || !canSeeIntegration(ctx.viewer, record)) return empty(204);
    requireDeveloper(ctx.viewer, record, 'unpublish it');
    ctx.store.unpublish(record.integration.name);
    return empty(205);
  },

  listIntegrationInstallations: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const externalId = text(ctx.query.externalId);
    const all = visibleInstallations(ctx, record).filter(
      (inst) => externalId === undefined || inst.installation.externalIds.includes(externalId),
    );
    return ok(page(all, ctx.query, presentInstallation));
  },

  installIntegration: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const orgId = (ctx.body as OrganizationTarget).organization;
    const name = record.integration.name;
    if (!ctx.store.organizations.has(orgId)) throw notFound(`Organization "${orgId}" not found`);
    if (!isMember(ctx.viewer, orgId)) throw forbidden(`You are not a member of organization "${orgId}"`);
    if (record.integration.visibility === 'private' && record.ownerId !== orgId) {
      throw forbidden(`Private integration "${name}" can only be installed in the organization that owns it`);
    }
    if (ctx.store.installationIn(record, orgId))
      throw conflict(`Integration "${name}" is already installed in organization "${orgId}"`);
    const inst = ctx.store.install(record, orgId);
    return { status: 201, body: presentInstallation(inst), headers: { Location: inst.installation.urls.location } };
  },

  listIntegrationEvents: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    return ok(
      page(
        record.events.filter((e) => canSeeEvent(ctx.viewer, record, e)),
        ctx.query,
        (e) => e.event,
      ),
    );
  },

  getIntegrationEvent: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const eventId = param(ctx, 'eventId');
    const event = record.events.find((e) => e.event.id === eventId);
    if (!event || !canSeeEvent(ctx.viewer, record, event))
      throw notFound(`Event "${eventId}" of integration "${record.integration.name}" not found`);
    return ok({ event: event.event, trace: event.trace });
  },

  listIntegrationSpaceInstallations: (ctx) => listContentOfIntegration(ctx, 'space'),
  listIntegrationSiteInstallations: (ctx) => listContentOfIntegration(ctx, 'site'),

  setIntegrationDevelopmentMode: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    requireDeveloper(ctx.viewer, record, 'enable its development mode');
    const body = ctx.body as { tunnelUrl: string; all?: boolean };
    record.development = { tunnelUrl: body.tunnelUrl, all: body.all ?? false };
    return empty(204);
  },

  disableIntegrationDevelopmentMode: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    requireDeveloper(ctx.viewer, record, 'disable its development mode');
    delete record.development;
    return empty(205);
  },

  renderIntegrationUIWithGet: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const request = decodeRenderRequest(String(ctx.query.request));
    // The whole input is in the URL, so the answer may be cached per caller.
    return ok(render(record, request), { 'Cache-Control': 'private, max-age=60' });
  },

  renderIntegrationUIWithPost: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    return ok(render(record, ctx.body as RenderIntegrationUI), { 'Cache-Control': 'no-store' });
  },

  queueIntegrationTask: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    requireDeveloper(ctx.viewer, record, 'queue its tasks');
    const body = ctx.body as { task: object; schedule?: number };
    ctx.store.queueTask(record, body.task, body.schedule ?? 0);
    return empty(204);
  },

  getIntegrationInstallationById: (ctx) => ok(presentInstallation(resolveInstallation(ctx).inst)),

  updateIntegrationInstallation: (ctx) => {
    const { record, inst } = resolveInstallation(ctx);
    const patch = ctx.body as UpdateIntegrationInstallation;
    checkConfiguration(record.integration.configurations?.account, patch.configuration, 'account');
    ctx.store.updateInstallation(record, inst, patch);
    return ok(presentInstallation(inst));
  },

  uninstallIntegration: (ctx) => {
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const inst = record.installations.get(param(ctx, 'installationId'));
    if (!inst || !canSeeInstallation(ctx.viewer, record, inst)) return empty(204);
    if (!isMember(ctx.viewer, inst.organizationId)) {
      throw forbidden(`Only members of organization "${inst.organizationId}" can uninstall this installation`);
    }
    ctx.store.uninstall(record, inst);
    return empty(205);
  },

  createIntegrationInstallationToken: (ctx) => {
    const { record, inst } = resolveInstallation(ctx);
    requireDeveloper(ctx.viewer, record, 'create installation tokens');
    return ok({ token: ctx.store.createToken(inst) });
  },

  listIntegrationInstallationSpaces: (ctx) => listContentOfInstallation(ctx, 'space'),
  installIntegrationOnSpace: (ctx) => installOnContent(ctx, 'space', (ctx.body as { space: string }).space),
  getIntegrationSpaceInstallation: (ctx) => getContent(ctx, 'space'),
  updateIntegrationSpaceInstallation: (ctx) => updateContent(ctx, 'space'),
  uninstallIntegrationFromSpace: (ctx) => uninstallFromContent(ctx, 'space'),

  listIntegrationInstallationSites: (ctx) => listContentOfInstallation(ctx, 'site'),
  installIntegrationOnSite: (ctx) => installOnContent(ctx, 'site', (ctx.body as { siteId: string }).siteId),
  getIntegrationSiteInstallation: (ctx) => getContent(ctx, 'site'),
  updateIntegrationSiteInstallation: (ctx) => updateContent(ctx, 'site'),
  uninstallIntegrationFromSite: (ctx) => uninstallFromContent(ctx, 'site'),

  getOrganizationById: (ctx) =>
    ok(presentOrganization(requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')), ctx.viewer)),

  listOrganizationIntegrations: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    return listIntegrationsWhere(ctx, (r) => r.integration.visibility === 'public' || r.ownerId === orgId);
  },

  getOrganizationIntegrationStatus: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    const record = requireIntegration(ctx.store, ctx.viewer, param(ctx, 'integrationName'));
    const inst = ctx.store.installationIn(record, orgId);
    if (!inst) throw notFound(`Integration "${record.integration.name}" is not installed in organization "${orgId}"`);
    return ok({ status: inst.installation.status });
  },

  listOrganizationInstallations: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    const search = text(ctx.query.search);
    const all = installedIntegrationsOf(ctx, orgId).filter(({ record }) => matchesSearch(record, search));
    return ok(
      page(all, ctx.query, ({ record, installation }) => ({
        installation: presentInstallation(installation),
        integration: presentIntegration(ctx.store, record, ctx.viewer),
      })),
    );
  },

  listOrganizationIntegrationsStatus: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    const target = text(ctx.query.target) ?? 'organization';
    const siteId = text(ctx.query.site);
    const spaceId = text(ctx.query.space);
    if (siteId !== undefined && target !== 'site')
      throw badRequest('Query parameter "site" is only valid with target=site');
    if (spaceId !== undefined && target !== 'space')
      throw badRequest('Query parameter "space" is only valid with target=space');
    if (siteId !== undefined) requireSiteOf(ctx, orgId, siteId);
    if (spaceId !== undefined && ctx.store.spaces.get(spaceId)?.organization !== orgId) {
      throw notFound(`Space "${spaceId}" not found in organization "${orgId}"`);
    }
    type Row = { record: IntegrationRecord; status: Status; target: InstalledIntegration['target'] };
    const rows: Row[] = [];
    for (const { record, installation } of installedIntegrationsOf(ctx, orgId)) {
      if (target === 'organization') {
        rows.push({
          record,
          status: installation.installation.status,
          target: { type: 'organization', organizationId: orgId },
        });
        continue;
      }
      const kind: ContentKind = target === 'space' ? 'space' : 'site';
      const only = kind === 'space' ? spaceId : siteId;
      for (const content of installation.content[kind].values()) {
        if (only !== undefined && content.targetId !== only) continue;
        rows.push({
          record,
          status: content.installation.status,
          target:
            kind === 'space'
              ? { type: 'space', spaceId: content.targetId }
              : { type: 'site', siteId: content.targetId },
        });
      }
    }
    return ok(
      page(
        rows,
        ctx.query,
        (row): InstalledIntegration => ({
          status: row.status,
          integration: presentIntegration(ctx.store, row.record, ctx.viewer),
          target: row.target,
        }),
      ),
    );
  },

  listSiteIntegrationScripts: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    const siteId = param(ctx, 'siteId');
    requireSiteOf(ctx, orgId, siteId);
    const scripts: SiteIntegrationScript[] = [];
    for (const { record, installation } of installedIntegrationsOf(ctx, orgId)) {
      const content = installation.content.site.get(siteId);
      const { scopes, name, version, contentSecurityPolicy } = record.integration;
      if (!content || !scopes.includes(IntegrationScope.SiteScriptInject)) continue;
      // A paused or unconfigured installation injects nothing.
      if (installation.installation.status !== Status.Active || content.installation.status !== Status.Active) continue;
      scripts.push({
        script: urls.siteScript(name, installation.installation.id, siteId, version),
        cookies: scopes.includes(IntegrationScope.SiteScriptCookies),
        ...(contentSecurityPolicy !== undefined ? { contentSecurityPolicy: cspHeader(contentSecurityPolicy) } : {}),
      });
    }
    return ok(scripts);
  },

  listSiteIntegrations: (ctx) => {
    const orgId = requireOrganizationMember(ctx.store, ctx.viewer, param(ctx, 'organizationId')).id;
    const siteId = param(ctx, 'siteId');
    requireSiteOf(ctx, orgId, siteId);
    const search = text(ctx.query.search);
    const items = installedIntegrationsOf(ctx, orgId)
      .filter(({ record, installation }) => installation.content.site.has(siteId) && matchesSearch(record, search))
      .map(({ record }) => presentIntegration(ctx.store, record, ctx.viewer));
    // The spec gives this list no page/limit: it is always whole.
    return ok({ items, count: items.length });
  },
};

/** An object-form policy becomes the header value a browser would receive. */
function cspHeader(policy: NonNullable<IntegrationRecord['integration']['contentSecurityPolicy']>): string {
  if (typeof policy === 'string') return policy;
  return Object.entries(policy)
    .map(([directive, value]) => `${directive} ${value}`)
    .join('; ');
}
