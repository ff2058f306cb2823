/**
 * Builds the seeded world. The catalog (catalog.ts) fixes who exists; the seed decides the rest
 * (spaces, sites, generated integrations, who installed what, events), so a given seed always
 * yields the same data. Guarantees that hold for every seed, and that tests rely on:
 * - every customer organization has at least 6 spaces and 2 sites;
 * - the popular integration (`slack`) is installed in every customer organization (28), each
 *   installation on at least 6 spaces and 1 site;
 * - every private integration is installed in its owner organization;
 * - about 60 integrations in total.
 */
import type {
  Event,
  IntegrationBlock,
  IntegrationCategory,
  IntegrationConfiguration,
  IntegrationEventLog,
  IntegrationInstallationStatus,
  IntegrationScope,
  IntegrationTarget,
  IntegrationVisibility,
  User,
} from '@gitbook/api';
import {
  type BillingProduct,
  BillingTrialStatus,
  ContentVisibility,
  IntegrationInstallationSiteSelection,
  IntegrationInstallationSpaceSelection,
  OrganizationType,
  OrganizationUseCase,
  PageFeedbackRating,
  SiteType,
  SiteVisibility,
  SpaceEditMode,
  IntegrationInstallationStatus as Status,
} from '@gitbook/api';
import {
  type CatalogIntegration,
  type CatalogOrganization,
  GENERATED_NAME_PARTS,
  INTEGRATIONS,
  ORGANIZATIONS,
  organizationId,
  POPULAR_INTEGRATION,
  type ScopeName,
  type TargetName,
} from './catalog.js';
import {
  type ContentInstallationRecord,
  type ContentKind,
  configurationStatus,
  type EventRecord,
  type InstallationRecord,
  type IntegrationRecord,
  type OrganizationRecord,
  type SiteRecord,
  type SpaceRecord,
  supports,
  WORLD_NOW,
  type WorldState,
} from './model.js';
import { createRng, type Rng, stableId } from './random.js';
import { urls } from './urls.js';

const DAY = 86_400_000;
const iso = (time: number) => new Date(time).toISOString();

const SPACE_TITLES = [
  'Product Docs',
  'API Reference',
  'Engineering Handbook',
  'Onboarding',
  'Release Notes',
  'Security Policies',
  'Design System',
  'Runbooks',
  'Support Playbook',
  'Developer Guide',
  'Architecture Decisions',
  'Help Center',
  'Internal Wiki',
  'SDK Reference',
  'Data Platform',
  'Brand Guidelines',
];
const SPACE_EMOJIS = [
  '1f4d8',
  '1f4da',
  '1f680',
  '1f527',
  '1f6e0',
  '1f512',
  '1f3a8',
  '1f4dd',
  '1f4a1',
  '1f9ed',
  '1f30d',
  '2699',
];
const SITE_TITLES = ['Docs', 'Developer Portal', 'Help Center', 'Status & Changelog', 'Partner Portal'];

/** Everything but the present's date is derived from the seed. */
export function buildWorld(seed: number): WorldState {
  const rng = createRng(seed);
  const organizations = new Map<string, OrganizationRecord>();
  const spaces = new Map<string, SpaceRecord>();
  const sites = new Map<string, SiteRecord>();

  for (const catalogOrg of ORGANIZATIONS) {
    const org = buildOrganization(rng, catalogOrg);
    organizations.set(org.id, org);
    const customer = catalogOrg.role === 'customer';
    const orgCreated = Date.parse(org.createdAt);
    for (const title of rng.sample(SPACE_TITLES, customer ? rng.int(6, 11) : rng.int(2, 4))) {
      const space = buildSpace(rng, org, title, orgCreated);
      spaces.set(space.id, space);
    }
    for (const title of rng.sample(SITE_TITLES, customer ? rng.int(2, 4) : 1)) {
      const site = buildSite(rng, org, catalogOrg, title, orgCreated);
      sites.set(site.site.id, site);
    }
  }

  const world: WorldState = { organizations, spaces, sites, integrations: new Map() };
  const catalog = [...INTEGRATIONS, ...generateIntegrations(rng, 60 - INTEGRATIONS.length)];
  for (const entry of catalog) world.integrations.set(entry.name, buildIntegration(rng, entry));
  for (const entry of catalog) installEverywhere(rng, world, entry);
  return world;
}

function buildOrganization(rng: Rng, org: CatalogOrganization): OrganizationRecord {
  const id = organizationId(org.slug);
  const createdAt = iso(
    Date.UTC(org.since, rng.int(0, 11), rng.int(1, 28), rng.int(7, 19), rng.int(0, 59), rng.int(0, 59)),
  );
  return {
    object: 'organization',
    id,
    title: org.title,
    createdAt,
    emailDomains: [org.emailDomain],
    hostname: org.slug,
    type: org.kind === 'community' ? OrganizationType.Community : OrganizationType.Business,
    useCase: rng.pick([
      OrganizationUseCase.ProductDocs,
      OrganizationUseCase.InternalDocs,
      OrganizationUseCase.DocsSite,
      OrganizationUseCase.TeamKnowledgeBase,
    ]),
    sso: org.plan === 'enterprise_2024',
    ai: rng.chance(0.7),
    inviteLinks: rng.chance(0.5),
    plan: org.plan as BillingProduct,
    mergeRules: { type: 'none' },
    urls: urls.organization(id),
    trial:
      org.plan === 'free_2024'
        ? { status: BillingTrialStatus.None, count: 0 }
        : { status: BillingTrialStatus.Ended, count: 1 },
  };
}

function buildSpace(rng: Rng, org: OrganizationRecord, title: string, orgCreated: number): SpaceRecord {
  const id = rng.id();
  const createdAt = orgCreated + rng.int(1, 400) * DAY;
  const visibility = rng.pick([
    ContentVisibility.Private,
    ContentVisibility.Private,
    ContentVisibility.Public,
    ContentVisibility.Unlisted,
    ContentVisibility.ShareLink,
  ]);
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const changeRequests = rng.int(0, 120);
  const changeRequestsOpen = rng.int(0, Math.min(changeRequests, 12));
  return {
    object: 'space',
    id,
    title,
    emoji: rng.pick(SPACE_EMOJIS),
    visibility,
    createdAt: iso(Math.min(createdAt, WORLD_NOW - 60 * DAY)),
    updatedAt: iso(WORLD_NOW - rng.int(1, 59) * DAY),
    editMode: SpaceEditMode.Live,
    urls: {
      ...urls.space(org.id, id),
      ...(visibility !== ContentVisibility.Private ? { published: `https://${org.hostname}.gitbook.io/${slug}/` } : {}),
      ...(visibility === ContentVisibility.Public ? { public: `https://${org.hostname}.gitbook.io/${slug}/` } : {}),
    },
    organization: org.id,
    revision: rng.id(),
    defaultLevel: 'inherit',
    comments: rng.int(0, 40),
    changeRequests,
    changeRequestsOpen,
    changeRequestsDraft: rng.int(0, 5),
    mergeRules: { type: 'inherit' },
  };
}

function buildSite(
  rng: Rng,
  org: OrganizationRecord,
  catalogOrg: CatalogOrganization,
  title: string,
  orgCreated: number,
): SiteRecord {
  const id = `site_${rng.id(5)}`;
  const basename = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-$/, '');
  const published = rng.chance(0.8);
  const type =
    catalogOrg.plan === 'enterprise_2024'
      ? SiteType.Ultimate
      : catalogOrg.plan === 'free_2024'
        ? SiteType.Basic
        : SiteType.Premium;
  return {
    organizationId: org.id,
    site: {
      object: 'site',
      id,
      type,
      appliedType: type,
      title: `${org.title} ${title}`,
      basename,
      visibility: rng.pick([
        SiteVisibility.Public,
        SiteVisibility.Public,
        SiteVisibility.Unlisted,
        SiteVisibility.VisitorAuth,
      ]),
      defaultLevel: 'inherit',
      published,
      createdAt: iso(Math.min(orgCreated + rng.int(30, 600) * DAY, WORLD_NOW - 30 * DAY)),
      siteSpaces: rng.int(1, 6),
      features: [],
      urls: {
        ...urls.site(org.id, id),
        preview: `https://${org.hostname}.gitbook.io/${basename}/~gitbook/preview`,
        ...(published ? { published: `https://${org.hostname}.gitbook.io/${basename}/` } : {}),
      },
    },
  };
}

/** Marketplace-style integrations around the hand-written ones, owned by random organizations. */
function generateIntegrations(rng: Rng, count: number): CatalogIntegration[] {
  const owners = ORGANIZATIONS.filter((org) => org.slug !== 'gitbook').map((org) => org.slug);
  const taken = new Set(INTEGRATIONS.map((i) => i.name));
  const out: CatalogIntegration[] = [];
  while (out.length < count) {
    const prefix = rng.pick(GENERATED_NAME_PARTS.prefixes);
    const [noun, nounTitle, description] = rng.pick(GENERATED_NAME_PARTS.nouns);
    const name = `${prefix}-${noun}`;
    if (taken.has(name)) continue;
    taken.add(name);
    const owner = rng.pick(owners);
    const visibility = rng.pick(['public', 'public', 'public', 'public', 'unlisted', 'private'] as const);
    const target = rng.pick(['all', 'space', 'space', 'site', 'organization'] as const satisfies TargetName[]);
    const scopePool: ScopeName[] =
      target === 'site'
        ? ['site:metadata:read', 'site:views:read', 'site:script:inject', 'site:script:cookies']
        : ['space:content:read', 'space:content:write', 'space:metadata:read', 'page:feedback:read'];
    const withBlock = target !== 'site' && target !== 'organization' && rng.chance(0.4);
    const title = `${prefix[0]?.toUpperCase()}${prefix.slice(1)} ${nounTitle}`;
    out.push({
      name,
      title,
      description,
      owner,
      visibility,
      verified: rng.chance(0.15),
      target,
      categories: rng.sample(['analytics', 'collaboration', 'content', 'marketing', 'other'] as const, rng.int(1, 2)),
      scopes: rng.sample(scopePool, rng.int(0, 3)),
      ...(withBlock
        ? {
            blocks: [
              { id: `${noun}-block`, title: `${nounTitle} block`, urlUnfurl: [`https://app.${name}.example/`] },
            ] satisfies IntegrationBlock[],
          }
        : {}),
      ...(rng.chance(0.1)
        ? {
            contentSources: [
              { id: `${noun}-source`, title: `${nounTitle} pages`, configuration: { componentId: 'configure' } },
            ],
          }
        : {}),
      ...(rng.chance(0.4)
        ? {
            configurations: {
              account: {
                properties: {
                  api_key: { type: 'string' as const, title: 'API key' },
                  region: { type: 'string' as const, title: 'Region', enum: ['us', 'eu'], default: 'us' },
                },
                required: ['api_key'],
              },
            },
          }
        : {}),
      externalLinks: [{ url: `https://${name}.example/docs`, label: 'Documentation' }],
      popularity: visibility === 'public' ? rng.next() * 0.2 : 0,
    });
  }
  return out;
}

function buildIntegration(rng: Rng, entry: CatalogIntegration): IntegrationRecord {
  const version = rng.int(1, 40);
  const integrationUrls = urls.integration(entry.name, version);
  return {
    id: stableId(`integration:${entry.name}`),
    ownerId: organizationId(entry.owner),
    integration: {
      object: 'integration',
      name: entry.name,
      version,
      title: entry.title,
      description: entry.description,
      ...(entry.summary ? { summary: entry.summary } : {}),
      previewImages: Array.from({ length: rng.int(0, 3) }, (_, i) => `${integrationUrls.assets}/preview-${i + 1}.png`),
      target: entry.target as IntegrationTarget,
      verified: entry.verified,
      visibility: entry.visibility as IntegrationVisibility,
      scopes: entry.scopes as IntegrationScope[],
      categories: entry.categories as IntegrationCategory[],
      blocks: entry.blocks ?? [],
      contentSources: entry.contentSources ?? [],
      configurations: entry.configurations ?? {},
      externalLinks: entry.externalLinks,
      urls: integrationUrls,
      ...(entry.contentSecurityPolicy ? { contentSecurityPolicy: entry.contentSecurityPolicy } : {}),
    },
    script: `export default createIntegration({ events: {} }); // ${entry.name}`,
    runtime: 'v2',
    secrets: {},
    tasks: [],
    installations: new Map(),
    events: [],
  };
}

/** Who installs an integration: private and unlisted ones their owner; public ones by popularity. */
function installEverywhere(rng: Rng, world: WorldState, entry: CatalogIntegration): void {
  const record = world.integrations.get(entry.name);
  if (!record) return;
  const popular = entry.name === POPULAR_INTEGRATION;
  const installers =
    entry.visibility === 'public'
      ? ORGANIZATIONS.filter((org) => org.role === 'customer' && (popular || rng.chance(entry.popularity)))
      : ORGANIZATIONS.filter((org) => org.slug === entry.owner);
  const installations = installers
    .map((org) => buildInstallation(rng, world, record, entry, organizationId(org.slug), popular))
    .sort((a, b) => (a.installation.createdAt < b.installation.createdAt ? -1 : 1));
  for (const inst of installations) record.installations.set(inst.installation.id, inst);
  record.events = buildEvents(
    rng,
    world,
    record,
    entry,
    installations,
    popular ? 60 : rng.int(0, 3 * installations.length),
  );
}

function buildInstallation(
  rng: Rng,
  world: WorldState,
  record: IntegrationRecord,
  entry: CatalogIntegration,
  orgId: string,
  popular: boolean,
): InstallationRecord {
  const id = rng.id();
  const createdAt = WORLD_NOW - rng.int(20, 700) * DAY - rng.int(0, DAY - 1);
  const configuration = sampleConfiguration(rng, entry.configurations?.account, orgId);
  const paused = rng.chance(0.05);
  const inst: InstallationRecord = {
    integrationName: entry.name,
    organizationId: orgId,
    installation: {
      id,
      status: paused ? Status.Paused : configurationStatus(entry.configurations?.account, configuration),
      space_selection: IntegrationInstallationSpaceSelection.Selected,
      site_selection: IntegrationInstallationSiteSelection.Selected,
      configuration,
      createdAt: iso(createdAt),
      updatedAt: iso(Math.min(createdAt + rng.int(0, 90) * DAY, WORLD_NOW - DAY)),
      urls: urls.installation(entry.name, id, orgId),
      externalIds: entry.externalIdPrefix ? [`${entry.externalIdPrefix}${rng.id(9)}`] : [],
      target: { organization: orgId },
      // Optional in the spec: the popular integration's installations carry it, the others do not.
      ...(popular ? { network: { proxy: true } } : {}),
    },
    content: { space: new Map(), site: new Map() },
    tokens: [],
  };
  const orgSpaces = [...world.spaces.values()].filter((space) => space.organization === orgId).map((space) => space.id);
  const orgSites = [...world.sites.values()]
    .filter((site) => site.organizationId === orgId)
    .map((site) => site.site.id);
  if (supports(record, 'space')) {
    const chosen = popular ? rng.sample(orgSpaces, rng.int(6, orgSpaces.length)) : rng.sample(orgSpaces, rng.int(1, 4));
    if (chosen.length === orgSpaces.length && rng.chance(0.5))
      inst.installation.space_selection = IntegrationInstallationSpaceSelection.All;
    for (const spaceId of chosen) addContent(rng, inst, entry, 'space', spaceId);
  }
  if (supports(record, 'site')) {
    const chosen = rng.sample(orgSites, popular ? rng.int(1, orgSites.length) : rng.int(1, 2));
    if (chosen.length === orgSites.length && rng.chance(0.5))
      inst.installation.site_selection = IntegrationInstallationSiteSelection.All;
    for (const siteId of chosen) addContent(rng, inst, entry, 'site', siteId);
  }
  return inst;
}

function addContent(
  rng: Rng,
  inst: InstallationRecord,
  entry: CatalogIntegration,
  kind: ContentKind,
  targetId: string,
): void {
  const configuration = sampleConfiguration(rng, entry.configurations?.[kind], targetId);
  const status: IntegrationInstallationStatus = rng.chance(0.04)
    ? Status.Paused
    : configurationStatus(entry.configurations?.[kind], configuration);
  const content: ContentInstallationRecord = {
    kind,
    targetId,
    installation: {
      integration: entry.name,
      installation: inst.installation.id,
      status,
      configuration,
      externalIds: entry.externalIdPrefix ? [`${entry.externalIdPrefix}${rng.id(9)}`] : [],
      urls: urls.contentInstallation(entry.name, inst.installation.id, kind === 'space' ? 'spaces' : 'sites', targetId),
    },
  };
  inst.content[kind].set(targetId, content);
}

/** Plausible values for a configuration schema; now and then a required one is left unset (pending). */
function sampleConfiguration(
  rng: Rng,
  schema: IntegrationConfiguration | undefined,
  salt: string,
): Record<string, unknown> {
  const configuration: Record<string, unknown> = {};
  if (!schema || !('properties' in schema)) return configuration;
  const required = new Set(schema.required ?? []);
  for (const [key, property] of Object.entries(schema.properties)) {
    if (required.has(key) ? rng.chance(0.1) : rng.chance(0.4)) continue;
    switch (property.type) {
      case 'boolean':
        configuration[key] = rng.chance(0.6);
        break;
      case 'number':
        configuration[key] = rng.int(1, 100);
        break;
      case 'string':
        configuration[key] = property.enum ? rng.pick(property.enum) : sampleString(rng, key, salt);
        break;
      case 'button':
        break;
    }
  }
  return configuration;
}

function sampleString(rng: Rng, key: string, salt: string): string {
  switch (key) {
    case 'channel':
    case 'default_channel':
      return rng.pick(['#docs', '#docs-updates', '#eng-announcements', '#support', '#product', '#releases']);
    case 'workspace':
      return `${rng.pick(['acme', 'team', 'eng', 'hq'])}-${salt.slice(0, 4).toLowerCase()}.slack.com`;
    case 'repository':
      return `${rng.pick(['platform', 'docs', 'handbook', 'api'])}/${rng.pick(['docs', 'content', 'reference', 'guides'])}`;
    case 'branch':
      return rng.pick(['main', 'main', 'docs', 'release']);
    case 'tracking_id':
      return `G-${rng.id(10).toUpperCase()}`;
    case 'container_id':
      return `GTM-${rng.id(7).toUpperCase()}`;
    default:
      return rng.id(12);
  }
}

const LOG_LINES: Record<string, [string, string]> = {
  installation_setup: ['Installation configured', 'Stored account configuration'],
  installation_deleted: ['Installation removed', 'Revoked access tokens'],
  space_installation_setup: ['Space installation configured', 'Subscribed to space updates'],
  site_installation_setup: ['Site installation configured', 'Script registered for the site'],
  site_view: ['Recorded page view', 'Forwarded view to analytics backend'],
  space_content_updated: ['Content updated', 'Posted notification'],
  space_gitsync_completed: ['Git sync completed', 'Commit recorded'],
  page_feedback: ['Received page feedback', 'Feedback forwarded'],
  task: ['Running scheduled task', 'Task finished'],
  ui_render: ['Rendering component', 'Rendered ContentKit element'],
};

const FAILURES = [
  'Error: upstream responded with 502 Bad Gateway',
  'Error: request to the third-party API timed out after 10000ms',
  'Error: invalid credentials, the token may have been revoked',
  'TypeError: Cannot read properties of undefined (reading "channel")',
];

/** Events the integration received, newest first, from its installations' recent activity. */
function buildEvents(
  rng: Rng,
  world: WorldState,
  record: IntegrationRecord,
  entry: CatalogIntegration,
  installations: InstallationRecord[],
  count: number,
): EventRecord[] {
  if (installations.length === 0) return [];
  const events: EventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const inst = rng.pick(installations);
    const createdAt = WORLD_NOW - rng.int(0, 30 * DAY);
    const id = rng.id();
    const payload = samplePayload(rng, world, entry, inst, id);
    const failed = rng.chance(0.15);
    const lines = LOG_LINES[payload.type] ?? ['Handling event', 'Done'];
    const logs: IntegrationEventLog[] = [
      {
        level: 'debug',
        message: `Dispatching ${payload.type} to ${entry.name}@${record.integration.version}`,
        timestamp: iso(createdAt),
      },
      { level: 'info', message: lines[0], timestamp: iso(createdAt + rng.int(5, 40)) },
    ];
    if (rng.chance(0.3))
      logs.push({
        level: 'warn',
        message: 'Slow response from third-party API, retrying once',
        timestamp: iso(createdAt + rng.int(41, 400)),
      });
    logs.push(
      failed
        ? { level: 'error', message: rng.pick(FAILURES), timestamp: iso(createdAt + rng.int(401, 900)) }
        : { level: 'info', message: lines[1], timestamp: iso(createdAt + rng.int(401, 900)) },
    );
    events.push({
      integrationName: entry.name,
      organizationId: inst.organizationId,
      event: {
        id,
        integrationId: record.id,
        installationId: inst.installation.id,
        createdAt: iso(createdAt),
        payload,
        status: failed ? 'failed' : 'success',
      },
      trace: { logs },
    });
  }
  return events.sort((a, b) =>
    a.event.createdAt > b.event.createdAt ? -1 : a.event.createdAt < b.event.createdAt ? 1 : 0,
  );
}

function samplePayload(
  rng: Rng,
  world: WorldState,
  entry: CatalogIntegration,
  inst: InstallationRecord,
  eventId: string,
): Event {
  const installationId = inst.installation.id;
  const spaceIds = [...inst.content.space.keys()];
  const siteIds = [...inst.content.site.keys()];
  const kinds: Event['type'][] = ['installation_setup', 'task'];
  if (spaceIds.length) kinds.push('space_installation_setup', 'space_content_updated', 'space_content_updated');
  if (spaceIds.length && entry.scopes.includes('space:git:sync'))
    kinds.push('space_gitsync_completed', 'space_gitsync_completed');
  if (siteIds.length) kinds.push('site_installation_setup', 'site_view', 'site_view', 'page_feedback');
  if (entry.blocks?.length) kinds.push('ui_render', 'ui_render');
  const visitor = {
    anonymousId: rng.id(16),
    cookies: {},
    userAgent: rng.pick([
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36',
    ]),
    ip: `203.0.113.${rng.int(1, 254)}`,
    language: rng.pick(['en-US', 'fr-FR', 'de-DE']),
  };
  const siteUrl = (siteId: string) =>
    world.sites.get(siteId)?.site.urls.published ?? `https://docs.example.com/${siteId}/`;
  switch (rng.pick(kinds)) {
    case 'space_installation_setup':
      return {
        eventId,
        type: 'space_installation_setup',
        installationId,
        spaceId: rng.pick(spaceIds),
        status: Status.Active,
      };
    case 'space_content_updated':
      return {
        eventId,
        type: 'space_content_updated',
        installationId,
        spaceId: rng.pick(spaceIds),
        revisionId: rng.id(),
        updatedBy: [sampleUser(rng)],
      };
    case 'space_gitsync_completed':
      return {
        eventId,
        type: 'space_gitsync_completed',
        installationId,
        spaceId: rng.pick(spaceIds),
        state: rng.chance(0.9) ? 'success' : 'failure',
        revisionId: rng.id(),
        commitId: rng.hex(40),
      };
    case 'site_installation_setup':
      return {
        eventId,
        type: 'site_installation_setup',
        installationId,
        siteId: rng.pick(siteIds),
        status: Status.Active,
      };
    case 'site_view': {
      const siteId = rng.pick(siteIds);
      return {
        eventId,
        type: 'site_view',
        installationId,
        siteId,
        pageId: rng.id(),
        visitor,
        url: `${siteUrl(siteId)}getting-started`,
        referrer: 'https://www.google.com/',
      };
    }
    case 'page_feedback': {
      const siteId = rng.pick(siteIds);
      return {
        eventId,
        type: 'page_feedback',
        installationId,
        siteId,
        pageId: rng.id(),
        feedback: {
          rating: rng.pick([PageFeedbackRating.Bad, PageFeedbackRating.Ok, PageFeedbackRating.Good]),
          comment: rng.pick(['Very clear, thanks!', 'The example is out of date.', 'Missing a section on webhooks.']),
        },
        visitor,
        url: `${siteUrl(siteId)}guides/setup`,
        referrer: '',
      };
    }
    case 'ui_render': {
      const block = entry.blocks?.[0];
      return {
        eventId,
        type: 'ui_render',
        installationId,
        componentId: block?.id ?? 'block',
        props: {},
        context: {
          type: 'document',
          spaceId: rng.pick(spaceIds.length ? spaceIds : [rng.id()]),
          editable: rng.chance(0.5),
          theme: 'light',
        },
      };
    }
    case 'task':
      return { eventId, type: 'task', task: { kind: rng.pick(['sync', 'refresh-token', 'digest']), installationId } };
    default:
      return { eventId, type: 'installation_setup', installationId, status: inst.installation.status };
  }
}

function sampleUser(rng: Rng): User {
  const id = rng.id();
  const name = rng.pick(['Maya Chen', 'Leo Martins', 'Priya Raman', 'Jonas Berg', 'Amara Diallo', 'Kenji Watanabe']);
  return {
    object: 'user',
    id,
    displayName: name,
    email: `${name.split(' ')[0]?.toLowerCase()}@example.com`,
    urls: { location: urls.user(id) },
  };
}
