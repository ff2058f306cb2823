/**
 * Who may see and change what. Every operation goes through these functions, so the rules hold
 * the same way everywhere:
 *
 * 1. Every request needs a known bearer token (else 401, in server.ts).
 * 2. Integrations: `public` and `unlisted` ones are readable by anyone; `private` ones only by
 *    members of the owning organization. To anyone else a private integration does not exist:
 *    404 on reads and writes, left out of every list. listIntegrations lists only `public` ones
 *    (the marketplace); listOrganizationIntegrations adds every integration the organization owns.
 * 3. Developing an integration (publish over it, unpublish, dev mode, tasks, installation tokens)
 *    needs membership of its owner organization: 403 for others who can see it. Deleting an
 *    integration that the caller cannot see answers 204, as if it did not exist.
 * 4. An installation, its space and site installations and its events are visible to members of
 *    the integration's owner organization (the developer, acting as the integration would) and to
 *    members of the installation's organization; to others they do not exist (404, left out of
 *    lists). Whoever sees an installation may configure it and enable it on spaces and sites;
 *    removing the installation itself (uninstallIntegration) needs membership of its organization.
 * 5. `/orgs/{organizationId}/...`: 404 for an unknown organization, 403 for an existing one the
 *    caller is not a member of. Installing needs membership of the target organization (403), and
 *    a private integration installs only in its owner organization (403).
 * 6. Members have every permission in their organizations (there are no roles in the simulator);
 *    the `permissions` objects of organizations, spaces, sites and integrations say so per caller.
 */
import type { SeededUser } from './catalog.js';
import { forbidden, notFound } from './errors.js';
import type { EventRecord, InstallationRecord, IntegrationRecord, OrganizationRecord } from './model.js';
import type { SimulatorStore } from './store.js';

export type Viewer = SeededUser;

const membershipSets = new WeakMap<Viewer, ReadonlySet<string>>();

export function isMember(viewer: Viewer, orgId: string): boolean {
  let set = membershipSets.get(viewer);
  if (!set) {
    set = new Set(viewer.organizations);
    membershipSets.set(viewer, set);
  }
  return set.has(orgId);
}

export function canSeeIntegration(viewer: Viewer, record: IntegrationRecord): boolean {
  return record.integration.visibility !== 'private' || isMember(viewer, record.ownerId);
}

/** Members of the owner organization act as the integration's developers. */
export function isDeveloper(viewer: Viewer, record: IntegrationRecord): boolean {
  return isMember(viewer, record.ownerId);
}

export function canSeeInstallation(viewer: Viewer, record: IntegrationRecord, inst: InstallationRecord): boolean {
  return isDeveloper(viewer, record) || isMember(viewer, inst.organizationId);
}

export function canSeeEvent(viewer: Viewer, record: IntegrationRecord, event: EventRecord): boolean {
  return isDeveloper(viewer, record) || (event.organizationId !== undefined && isMember(viewer, event.organizationId));
}

export function requireIntegration(store: SimulatorStore, viewer: Viewer, name: string): IntegrationRecord {
  const record = store.integrations.get(name);
  if (!record || !canSeeIntegration(viewer, record)) throw notFound(`Integration "${name}" not found`);
  return record;
}

export function requireDeveloper(viewer: Viewer, record: IntegrationRecord, action: string): void {
  if (!isDeveloper(viewer, record)) {
    throw forbidden(`Only members of the organization owning "${record.integration.name}" can ${action}`);
  }
}

export function requireInstallation(
  viewer: Viewer,
  record: IntegrationRecord,
  installationId: string,
): InstallationRecord {
  const inst = record.installations.get(installationId);
  if (!inst || !canSeeInstallation(viewer, record, inst)) {
    throw notFound(`Installation "${installationId}" of integration "${record.integration.name}" not found`);
  }
  return inst;
}

export function requireOrganizationMember(store: SimulatorStore, viewer: Viewer, orgId: string): OrganizationRecord {
  const org = store.organizations.get(orgId);
  if (!org) throw notFound(`Organization "${orgId}" not found`);
  if (!isMember(viewer, orgId)) throw forbidden(`You are not a member of organization "${orgId}"`);
  return org;
}
