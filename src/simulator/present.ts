/**
 * Records → REST objects, for one caller. The per-caller parts (permissions, the embedded owner
 * organization) and the derived ones (an installation's `spaces` count, `extended` space/site
 * objects) are computed here and nowhere else.
 */
import type {
  Integration,
  IntegrationInstallation,
  IntegrationSiteInstallation,
  IntegrationSpaceInstallation,
  Organization,
  Site,
  Space,
} from '@gitbook/api';
import { isDeveloper, isMember, type Viewer } from './access.js';
import type {
  ContentInstallationRecord,
  InstallationRecord,
  IntegrationRecord,
  OrganizationRecord,
  SiteRecord,
  SpaceRecord,
} from './model.js';
import type { SimulatorStore } from './store.js';

export function presentOrganization(org: OrganizationRecord, viewer: Viewer): Organization {
  const member = isMember(viewer, org.id);
  return {
    ...org,
    permissions: {
      view: member,
      access: member,
      admin: member,
      ownTeam: member,
      createContent: member,
      createOpenAPISpec: member,
      viewBilling: member,
      listMembers: member,
      listTeams: member,
      listIntegrations: member,
      listInstallations: member,
      installIntegration: member,
    },
  };
}

export function presentIntegration(store: SimulatorStore, record: IntegrationRecord, viewer: Viewer): Integration {
  const owner = store.organizations.get(record.ownerId);
  if (!owner) throw new Error(`integration ${record.integration.name} has an unknown owner ${record.ownerId}`);
  return {
    ...record.integration,
    owner: presentOrganization(owner, viewer),
    permissions: { admin: isDeveloper(viewer, record) },
  };
}

export function presentInstallation(inst: InstallationRecord): IntegrationInstallation {
  return { ...inst.installation, spaces: inst.content.space.size };
}

export function presentSpace(space: SpaceRecord, viewer: Viewer): Space {
  const member = isMember(viewer, space.organization);
  return {
    ...space,
    permissions: {
      view: member || space.visibility !== 'private',
      access: member,
      admin: member,
      viewInviteLinks: member,
      edit: member,
      triggerGitSync: member,
      comment: member,
      merge: member,
      review: member,
      installIntegration: member,
    },
  };
}

export function presentSite({ site, organizationId }: SiteRecord, viewer: Viewer): Site {
  const member = isMember(viewer, organizationId);
  return {
    ...site,
    permissions: {
      view: member || site.published,
      access: member,
      edit: member,
      create: member,
      admin: member,
      installIntegration: member,
      viewAdaptiveSchema: member,
      editAdaptiveSchema: member,
    },
  };
}

/** A space or site installation; `extended` embeds the full Space/Site instead of its id. */
export function presentContentInstallation(
  store: SimulatorStore,
  content: ContentInstallationRecord,
  viewer: Viewer,
  extended: boolean,
): IntegrationSpaceInstallation | IntegrationSiteInstallation {
  if (content.kind === 'space') {
    const space = extended ? store.spaces.get(content.targetId) : undefined;
    return { ...content.installation, space: space ? presentSpace(space, viewer) : content.targetId };
  }
  const site = extended ? store.sites.get(content.targetId) : undefined;
  return { ...content.installation, site: site ? presentSite(site, viewer) : content.targetId };
}
