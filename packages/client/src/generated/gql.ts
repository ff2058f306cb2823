/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation ConfigureInstallation($integrationName: String!, $installationId: String!, $configuration: JSON, $spaceSelection: InstallationSpaceSelection, $externalIds: [String!]) {\n  updateInstallation(\n    input: {integrationName: $integrationName, installationId: $installationId, configuration: $configuration, spaceSelection: $spaceSelection, externalIds: $externalIds}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}": typeof types.ConfigureInstallationDocument,
    "mutation InstallIntegrationOnSpace($integrationName: String!, $installationId: String!, $spaceId: String!) {\n  installIntegrationOnSpace(\n    input: {integrationName: $integrationName, installationId: $installationId, spaceId: $spaceId}\n  ) {\n    spaceInstallation {\n      id\n      spaceId\n      status\n      space {\n        id\n        title\n      }\n    }\n  }\n}": typeof types.InstallIntegrationOnSpaceDocument,
    "mutation InstallIntegration($integrationName: String!, $organizationId: String!) {\n  installIntegration(\n    input: {integrationName: $integrationName, organizationId: $organizationId}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}": typeof types.InstallIntegrationDocument,
    "fragment InstallationDetails on Installation {\n  id\n  installationId\n  status\n  spaceSelection\n  siteSelection\n  spaceCount\n  configuration\n  externalIds\n  updatedAt\n}": typeof types.InstallationDetailsFragmentDoc,
    "query IntegrationInstallationStatus($organizationId: String!, $integrationName: String!) {\n  organization(organizationId: $organizationId) {\n    id\n    integrationInstallationStatus(integrationName: $integrationName)\n  }\n}": typeof types.IntegrationInstallationStatusDocument,
    "query IntegrationPage($name: String!, $installationsFirst: Int = 10, $installationsAfter: String) {\n  integration(name: $name) {\n    id\n    name\n    title\n    description\n    summary\n    version\n    visibility\n    scopes\n    categories\n    previewImages\n    blocks {\n      id\n      title\n      description\n    }\n    externalLinks {\n      url\n      label\n    }\n    owner {\n      id\n      organizationId\n      title\n    }\n    installations(first: $installationsFirst, after: $installationsAfter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        installationId\n        status\n        spaceSelection\n        siteSelection\n        spaceCount\n        organization {\n          id\n          organizationId\n        }\n      }\n    }\n  }\n}": typeof types.IntegrationPageDocument,
    "query Marketplace($first: Int = 20, $after: String, $search: String, $category: IntegrationCategory, $target: IntegrationTarget) {\n  integrations(\n    first: $first\n    after: $after\n    search: $search\n    category: $category\n    target: $target\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      title\n      summary\n      target\n      categories\n      verified\n      urls {\n        icon\n      }\n      owner {\n        id\n        organizationId\n        title\n      }\n    }\n  }\n}": typeof types.MarketplaceDocument,
    "query OrganizationIntegrations($organizationId: String!, $first: Int = 20, $target: InstalledIntegrationTargetType) {\n  organization(organizationId: $organizationId) {\n    id\n    organizationId\n    title\n    installedIntegrations(first: $first, target: $target) {\n      totalCount\n      nodes {\n        status\n        target {\n          type\n          organizationId\n          spaceId\n          siteId\n        }\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n    installations(first: $first) {\n      totalCount\n      nodes {\n        id\n        installationId\n        status\n        configuration\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n  }\n}": typeof types.OrganizationIntegrationsDocument,
    "mutation RenderComponentAction($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON, $action: JSON!) {\n  renderIntegrationUI(\n    input: {integrationName: $integrationName, componentId: $componentId, props: $props, context: $context, state: $state, action: $action}\n  ) {\n    output {\n      ...RenderOutput\n    }\n  }\n}": typeof types.RenderComponentActionDocument,
    "query RenderComponent($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON) {\n  integrationUI(\n    integrationName: $integrationName\n    componentId: $componentId\n    props: $props\n    context: $context\n    state: $state\n  ) {\n    ...RenderOutput\n  }\n}": typeof types.RenderComponentDocument,
    "fragment RenderOutput on ContentKitRenderOutput {\n  type\n  element\n  state\n  props\n  returnValue\n}": typeof types.RenderOutputFragmentDoc,
    "mutation UninstallIntegration($integrationName: String!, $installationId: String!) {\n  uninstallIntegration(\n    input: {integrationName: $integrationName, installationId: $installationId}\n  ) {\n    deletedInstallationId\n  }\n}": typeof types.UninstallIntegrationDocument,
};
const documents: Documents = {
    "mutation ConfigureInstallation($integrationName: String!, $installationId: String!, $configuration: JSON, $spaceSelection: InstallationSpaceSelection, $externalIds: [String!]) {\n  updateInstallation(\n    input: {integrationName: $integrationName, installationId: $installationId, configuration: $configuration, spaceSelection: $spaceSelection, externalIds: $externalIds}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}": types.ConfigureInstallationDocument,
    "mutation InstallIntegrationOnSpace($integrationName: String!, $installationId: String!, $spaceId: String!) {\n  installIntegrationOnSpace(\n    input: {integrationName: $integrationName, installationId: $installationId, spaceId: $spaceId}\n  ) {\n    spaceInstallation {\n      id\n      spaceId\n      status\n      space {\n        id\n        title\n      }\n    }\n  }\n}": types.InstallIntegrationOnSpaceDocument,
    "mutation InstallIntegration($integrationName: String!, $organizationId: String!) {\n  installIntegration(\n    input: {integrationName: $integrationName, organizationId: $organizationId}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}": types.InstallIntegrationDocument,
    "fragment InstallationDetails on Installation {\n  id\n  installationId\n  status\n  spaceSelection\n  siteSelection\n  spaceCount\n  configuration\n  externalIds\n  updatedAt\n}": types.InstallationDetailsFragmentDoc,
    "query IntegrationInstallationStatus($organizationId: String!, $integrationName: String!) {\n  organization(organizationId: $organizationId) {\n    id\n    integrationInstallationStatus(integrationName: $integrationName)\n  }\n}": types.IntegrationInstallationStatusDocument,
    "query IntegrationPage($name: String!, $installationsFirst: Int = 10, $installationsAfter: String) {\n  integration(name: $name) {\n    id\n    name\n    title\n    description\n    summary\n    version\n    visibility\n    scopes\n    categories\n    previewImages\n    blocks {\n      id\n      title\n      description\n    }\n    externalLinks {\n      url\n      label\n    }\n    owner {\n      id\n      organizationId\n      title\n    }\n    installations(first: $installationsFirst, after: $installationsAfter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        installationId\n        status\n        spaceSelection\n        siteSelection\n        spaceCount\n        organization {\n          id\n          organizationId\n        }\n      }\n    }\n  }\n}": types.IntegrationPageDocument,
    "query Marketplace($first: Int = 20, $after: String, $search: String, $category: IntegrationCategory, $target: IntegrationTarget) {\n  integrations(\n    first: $first\n    after: $after\n    search: $search\n    category: $category\n    target: $target\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      title\n      summary\n      target\n      categories\n      verified\n      urls {\n        icon\n      }\n      owner {\n        id\n        organizationId\n        title\n      }\n    }\n  }\n}": types.MarketplaceDocument,
    "query OrganizationIntegrations($organizationId: String!, $first: Int = 20, $target: InstalledIntegrationTargetType) {\n  organization(organizationId: $organizationId) {\n    id\n    organizationId\n    title\n    installedIntegrations(first: $first, target: $target) {\n      totalCount\n      nodes {\n        status\n        target {\n          type\n          organizationId\n          spaceId\n          siteId\n        }\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n    installations(first: $first) {\n      totalCount\n      nodes {\n        id\n        installationId\n        status\n        configuration\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n  }\n}": types.OrganizationIntegrationsDocument,
    "mutation RenderComponentAction($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON, $action: JSON!) {\n  renderIntegrationUI(\n    input: {integrationName: $integrationName, componentId: $componentId, props: $props, context: $context, state: $state, action: $action}\n  ) {\n    output {\n      ...RenderOutput\n    }\n  }\n}": types.RenderComponentActionDocument,
    "query RenderComponent($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON) {\n  integrationUI(\n    integrationName: $integrationName\n    componentId: $componentId\n    props: $props\n    context: $context\n    state: $state\n  ) {\n    ...RenderOutput\n  }\n}": types.RenderComponentDocument,
    "fragment RenderOutput on ContentKitRenderOutput {\n  type\n  element\n  state\n  props\n  returnValue\n}": types.RenderOutputFragmentDoc,
    "mutation UninstallIntegration($integrationName: String!, $installationId: String!) {\n  uninstallIntegration(\n    input: {integrationName: $integrationName, installationId: $installationId}\n  ) {\n    deletedInstallationId\n  }\n}": types.UninstallIntegrationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConfigureInstallation($integrationName: String!, $installationId: String!, $configuration: JSON, $spaceSelection: InstallationSpaceSelection, $externalIds: [String!]) {\n  updateInstallation(\n    input: {integrationName: $integrationName, installationId: $installationId, configuration: $configuration, spaceSelection: $spaceSelection, externalIds: $externalIds}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}"): typeof import('./graphql.js').ConfigureInstallationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation InstallIntegrationOnSpace($integrationName: String!, $installationId: String!, $spaceId: String!) {\n  installIntegrationOnSpace(\n    input: {integrationName: $integrationName, installationId: $installationId, spaceId: $spaceId}\n  ) {\n    spaceInstallation {\n      id\n      spaceId\n      status\n      space {\n        id\n        title\n      }\n    }\n  }\n}"): typeof import('./graphql.js').InstallIntegrationOnSpaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation InstallIntegration($integrationName: String!, $organizationId: String!) {\n  installIntegration(\n    input: {integrationName: $integrationName, organizationId: $organizationId}\n  ) {\n    installation {\n      ...InstallationDetails\n    }\n  }\n}"): typeof import('./graphql.js').InstallIntegrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InstallationDetails on Installation {\n  id\n  installationId\n  status\n  spaceSelection\n  siteSelection\n  spaceCount\n  configuration\n  externalIds\n  updatedAt\n}"): typeof import('./graphql.js').InstallationDetailsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IntegrationInstallationStatus($organizationId: String!, $integrationName: String!) {\n  organization(organizationId: $organizationId) {\n    id\n    integrationInstallationStatus(integrationName: $integrationName)\n  }\n}"): typeof import('./graphql.js').IntegrationInstallationStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IntegrationPage($name: String!, $installationsFirst: Int = 10, $installationsAfter: String) {\n  integration(name: $name) {\n    id\n    name\n    title\n    description\n    summary\n    version\n    visibility\n    scopes\n    categories\n    previewImages\n    blocks {\n      id\n      title\n      description\n    }\n    externalLinks {\n      url\n      label\n    }\n    owner {\n      id\n      organizationId\n      title\n    }\n    installations(first: $installationsFirst, after: $installationsAfter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        installationId\n        status\n        spaceSelection\n        siteSelection\n        spaceCount\n        organization {\n          id\n          organizationId\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').IntegrationPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Marketplace($first: Int = 20, $after: String, $search: String, $category: IntegrationCategory, $target: IntegrationTarget) {\n  integrations(\n    first: $first\n    after: $after\n    search: $search\n    category: $category\n    target: $target\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      title\n      summary\n      target\n      categories\n      verified\n      urls {\n        icon\n      }\n      owner {\n        id\n        organizationId\n        title\n      }\n    }\n  }\n}"): typeof import('./graphql.js').MarketplaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrganizationIntegrations($organizationId: String!, $first: Int = 20, $target: InstalledIntegrationTargetType) {\n  organization(organizationId: $organizationId) {\n    id\n    organizationId\n    title\n    installedIntegrations(first: $first, target: $target) {\n      totalCount\n      nodes {\n        status\n        target {\n          type\n          organizationId\n          spaceId\n          siteId\n        }\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n    installations(first: $first) {\n      totalCount\n      nodes {\n        id\n        installationId\n        status\n        configuration\n        integration {\n          id\n          name\n          title\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').OrganizationIntegrationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RenderComponentAction($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON, $action: JSON!) {\n  renderIntegrationUI(\n    input: {integrationName: $integrationName, componentId: $componentId, props: $props, context: $context, state: $state, action: $action}\n  ) {\n    output {\n      ...RenderOutput\n    }\n  }\n}"): typeof import('./graphql.js').RenderComponentActionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RenderComponent($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON) {\n  integrationUI(\n    integrationName: $integrationName\n    componentId: $componentId\n    props: $props\n    context: $context\n    state: $state\n  ) {\n    ...RenderOutput\n  }\n}"): typeof import('./graphql.js').RenderComponentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment RenderOutput on ContentKitRenderOutput {\n  type\n  element\n  state\n  props\n  returnValue\n}"): typeof import('./graphql.js').RenderOutputFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UninstallIntegration($integrationName: String!, $installationId: String!) {\n  uninstallIntegration(\n    input: {integrationName: $integrationName, installationId: $installationId}\n  ) {\n    deletedInstallationId\n  }\n}"): typeof import('./graphql.js').UninstallIntegrationDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
