/**
 * URLs embedded in REST objects point at the real GitBook hosts, never at the simulator's own
 * port, so that answers are identical whichever port a test run listens on.
 */
export const API_URL = 'https://api.gitbook.com/v1';
export const APP_URL = 'https://app.gitbook.com';
export const INTEGRATIONS_URL = 'https://integrations.gitbook.com/v1';

const enc = encodeURIComponent;

export const urls = {
  organization: (orgId: string) => ({ location: `${API_URL}/orgs/${orgId}`, app: `${APP_URL}/o/${orgId}/` }),
  space: (orgId: string, spaceId: string) => ({
    location: `${API_URL}/spaces/${spaceId}`,
    app: `${APP_URL}/o/${orgId}/s/${spaceId}/`,
  }),
  site: (orgId: string, siteId: string) => ({
    location: `${API_URL}/orgs/${orgId}/sites/${siteId}`,
    app: `${APP_URL}/o/${orgId}/sites/${siteId}`,
  }),
  integration: (name: string, version: number) => ({
    location: `${API_URL}/integrations/${enc(name)}`,
    app: `${APP_URL}/integrations/${enc(name)}`,
    icon: `${INTEGRATIONS_URL}/integrations/${enc(name)}/icon.png?v=${version}`,
    assets: `${INTEGRATIONS_URL}/integrations/${enc(name)}/versions/${version}/assets`,
    publicEndpoint: `${INTEGRATIONS_URL}/integrations/${enc(name)}`,
    publicContentEndpoint: `${INTEGRATIONS_URL}/integrations/${enc(name)}`,
  }),
  installation: (name: string, installationId: string, orgId: string) => ({
    location: `${API_URL}/integrations/${enc(name)}/installations/${installationId}`,
    app: `${APP_URL}/o/${orgId}/integrations/${enc(name)}`,
    publicEndpoint: `${INTEGRATIONS_URL}/integrations/${enc(name)}/installations/${installationId}`,
    publicContentEndpoint: `${INTEGRATIONS_URL}/integrations/${enc(name)}/installations/${installationId}`,
  }),
  contentInstallation: (name: string, installationId: string, kind: 'spaces' | 'sites', targetId: string) => {
    const path = `integrations/${enc(name)}/installations/${installationId}/${kind}/${targetId}`;
    return {
      location: `${API_URL}/${path}`,
      publicEndpoint: `${INTEGRATIONS_URL}/${path}`,
      publicContentEndpoint: `${INTEGRATIONS_URL}/${path}`,
    };
  },
  siteScript: (name: string, installationId: string, siteId: string, version: number) =>
    `${INTEGRATIONS_URL}/integrations/${enc(name)}/installations/${installationId}/sites/${siteId}/script.js?version=${version}`,
  user: (userId: string) => `${API_URL}/users/${userId}`,
};
