/**
 * What a generated answer must say for the gateway to route on it, as the
 * real API would: the object a lookup asked for carries the identifiers it
 * was asked by, list items carry distinct ids the later lookups use, a space
 * or site installation names its integration and installation, a page holds
 * no more items than its `limit`. Only identifiers change (to values that
 * match the document's patterns); everything else is as generated.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The identifiers the operations name, and the stems of those list items get. */
export const IDS = {
  integrationName: 'integration-a',
  installationId: 'installation-a',
  eventId: 'event-a',
  spaceId: 'space-a',
  siteId: 'site-a',
  organizationId: 'organization-a',
  componentId: 'component-a',
} as const;

export interface ServedRequest {
  operationId: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

const itemId = (stem: string, index: number) => `${stem}-${index + 1}`;

function integration(value: unknown, name: string): void {
  if (!isObject(value)) return;
  value.name = name;
  if (isObject(value.owner)) value.owner.id = IDS.organizationId;
}

function installation(value: unknown, id: string): void {
  if (!isObject(value)) return;
  value.id = id;
  if (isObject(value.target)) value.target.organization = IDS.organizationId;
}

function event(value: unknown, id: string): void {
  if (!isObject(value)) return;
  value.id = id;
  if (typeof value.installationId === 'string') value.installationId = IDS.installationId;
}

function contentInstallation(
  value: unknown,
  kind: 'space' | 'site',
  name: string,
  installationId: string,
  contentId: string,
): void {
  if (!isObject(value)) return;
  value.integration = name;
  value.installation = installationId;
  if (typeof value[kind] === 'string') value[kind] = contentId;
  else if (isObject(value[kind])) (value[kind] as Json).id = contentId;
}

function installedIntegrationTarget(value: unknown): void {
  if (!isObject(value)) return;
  if (typeof value.organizationId === 'string') value.organizationId = IDS.organizationId;
  if (typeof value.spaceId === 'string') value.spaceId = IDS.spaceId;
  if (typeof value.siteId === 'string') value.siteId = IDS.siteId;
}

/** A page's items, fixed one by one, and no more of them than `limit` asks. */
function page(value: unknown, request: ServedRequest, fix: (item: unknown, index: number) => void): void {
  if (!isObject(value) || !Array.isArray(value.items)) return;
  const limit = request.query.limit === undefined ? undefined : Number(request.query.limit);
  if (limit !== undefined && value.items.length > limit) value.items = value.items.slice(0, limit);
  (value.items as unknown[]).forEach(fix);
}

type Fixup = (answer: unknown, request: ServedRequest) => void;

const name = (request: ServedRequest) => request.params.integrationName ?? IDS.integrationName;
const installationOf = (request: ServedRequest) => request.params.installationId ?? IDS.installationId;
const bodyString = (request: ServedRequest, key: string, fallback: string) =>
  isObject(request.body) && typeof request.body[key] === 'string' ? (request.body[key] as string) : fallback;

const integrationsPage: Fixup = (answer, request) =>
  page(answer, request, (item, index) => integration(item, itemId('integration', index)));

/** By operationId; an operation without an entry answers as generated. */
export const FIXUPS: Record<string, Fixup> = {
  listIntegrations: integrationsPage,
  listOrganizationIntegrations: integrationsPage,
  listSiteIntegrations: integrationsPage,
  getIntegrationByName: (answer, request) => integration(answer, name(request)),
  publishIntegration: (answer, request) => integration(answer, name(request)),
  listIntegrationInstallations: (answer, request) =>
    page(answer, request, (item, index) => installation(item, itemId('installation', index))),
  installIntegration: (answer) => installation(answer, 'installation-new'),
  getIntegrationInstallationById: (answer, request) => installation(answer, installationOf(request)),
  updateIntegrationInstallation: (answer, request) => installation(answer, installationOf(request)),
  listIntegrationEvents: (answer, request) =>
    page(answer, request, (item, index) => event(item, itemId('event', index))),
  getIntegrationEvent: (answer, request) =>
    isObject(answer) && event(answer.event, request.params.eventId ?? IDS.eventId),
  listIntegrationSpaceInstallations: (answer, request) =>
    page(answer, request, (item, index) =>
      contentInstallation(item, 'space', name(request), IDS.installationId, itemId('space', index)),
    ),
  listIntegrationInstallationSpaces: (answer, request) =>
    page(answer, request, (item, index) =>
      contentInstallation(item, 'space', name(request), installationOf(request), itemId('space', index)),
    ),
  installIntegrationOnSpace: (answer, request) =>
    contentInstallation(
      answer,
      'space',
      name(request),
      installationOf(request),
      bodyString(request, 'space', IDS.spaceId),
    ),
  getIntegrationSpaceInstallation: (answer, request) =>
    contentInstallation(answer, 'space', name(request), installationOf(request), request.params.spaceId ?? IDS.spaceId),
  updateIntegrationSpaceInstallation: (answer, request) =>
    contentInstallation(answer, 'space', name(request), installationOf(request), request.params.spaceId ?? IDS.spaceId),
  listIntegrationSiteInstallations: (answer, request) =>
    page(answer, request, (item, index) =>
      contentInstallation(item, 'site', name(request), IDS.installationId, itemId('site', index)),
    ),
  listIntegrationInstallationSites: (answer, request) =>
    page(answer, request, (item, index) =>
      contentInstallation(item, 'site', name(request), installationOf(request), itemId('site', index)),
    ),
  installIntegrationOnSite: (answer, request) =>
    contentInstallation(
      answer,
      'site',
      name(request),
      installationOf(request),
      bodyString(request, 'siteId', IDS.siteId),
    ),
  getIntegrationSiteInstallation: (answer, request) =>
    contentInstallation(answer, 'site', name(request), installationOf(request), request.params.siteId ?? IDS.siteId),
  updateIntegrationSiteInstallation: (answer, request) =>
    contentInstallation(answer, 'site', name(request), installationOf(request), request.params.siteId ?? IDS.siteId),
  getOrganizationById: (answer, request) => {
    if (isObject(answer)) answer.id = request.params.organizationId ?? IDS.organizationId;
  },
  listOrganizationInstallations: (answer, request) =>
    page(answer, request, (item, index) => {
      if (!isObject(item)) return;
      installation(item.installation, itemId('installation', index));
      integration(item.integration, itemId('integration', index));
    }),
  listOrganizationIntegrationsStatus: (answer, request) =>
    page(answer, request, (item, index) => {
      if (!isObject(item)) return;
      integration(item.integration, itemId('integration', index));
      installedIntegrationTarget(item.target);
    }),
};

/** The answer as the gateway gets it: a copy of the generated one, fixed for the request. */
export function fixedAnswer(generated: unknown, request: ServedRequest): unknown {
  if (generated === undefined) return undefined;
  const answer = structuredClone(generated);
  FIXUPS[request.operationId]?.(answer, request);
  return answer;
}
