/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Whether the component answered with an element to draw, or completed its lifecycle. */
export type ContentKitRenderOutputType =
  /** REST value `complete`. */
  | 'COMPLETE'
  /** REST value `element`. */
  | 'ELEMENT'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** Describe whether all sites have been selected or there's a selection involved */
export type InstallationSiteSelection =
  /** REST value `all`. */
  | 'ALL'
  /** REST value `selected`. */
  | 'SELECTED'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** Describe whether all spaces have been selected or there's a selection involved */
export type InstallationSpaceSelection =
  /** REST value `all`. */
  | 'ALL'
  /** REST value `selected`. */
  | 'SELECTED'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** The state of an installation of an integration. */
export type InstallationStatus =
  /** REST value `active`. */
  | 'ACTIVE'
  /** REST value `paused`. */
  | 'PAUSED'
  /** REST value `pending`. */
  | 'PENDING'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** What an integration is installed on: the organization, one of its spaces or one of its sites. */
export type InstalledIntegrationTargetType =
  /** REST value `organization`. */
  | 'ORGANIZATION'
  /** REST value `site`. */
  | 'SITE'
  /** REST value `space`. */
  | 'SPACE'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** A marketplace category an integration is listed in. */
export type IntegrationCategory =
  /** REST value `analytics`. */
  | 'ANALYTICS'
  /** REST value `collaboration`. */
  | 'COLLABORATION'
  /** REST value `content`. */
  | 'CONTENT'
  /** REST value `marketing`. */
  | 'MARKETING'
  /** REST value `other`. */
  | 'OTHER'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN'
  /** REST value `visitor-auth`. */
  | 'VISITOR_AUTH';

/** A permission an integration asks for. */
export type IntegrationScope =
  /** REST value `conversations:ingest`. */
  | 'CONVERSATIONS_INGEST'
  /** REST value `openapi:read`. */
  | 'OPENAPI_READ'
  /** REST value `openapi:write`. */
  | 'OPENAPI_WRITE'
  /** REST value `page:feedback:read`. */
  | 'PAGE_FEEDBACK_READ'
  /** REST value `site:adaptive:read`. */
  | 'SITE_ADAPTIVE_READ'
  /** REST value `site:adaptive:write`. */
  | 'SITE_ADAPTIVE_WRITE'
  /** REST value `site:metadata:read`. */
  | 'SITE_METADATA_READ'
  /** REST value `site:script:cookies`. */
  | 'SITE_SCRIPT_COOKIES'
  /** REST value `site:script:inject`. */
  | 'SITE_SCRIPT_INJECT'
  /** REST value `site:views:read`. */
  | 'SITE_VIEWS_READ'
  /** REST value `site:visitor:auth`. */
  | 'SITE_VISITOR_AUTH'
  /** REST value `site:visitor:claims`. */
  | 'SITE_VISITOR_CLAIMS'
  /** REST value `space:content:read`. */
  | 'SPACE_CONTENT_READ'
  /** REST value `space:content:write`. */
  | 'SPACE_CONTENT_WRITE'
  /** REST value `space:git:sync`. */
  | 'SPACE_GIT_SYNC'
  /** REST value `space:metadata:read`. */
  | 'SPACE_METADATA_READ'
  /** REST value `space:metadata:write`. */
  | 'SPACE_METADATA_WRITE'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** The target on which the integration can operate and needs to be configured for */
export type IntegrationTarget =
  /** REST value `all`. */
  | 'ALL'
  /** REST value `organization`. */
  | 'ORGANIZATION'
  /** REST value `site`. */
  | 'SITE'
  /** REST value `space`. */
  | 'SPACE'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN';

/** Who can see and install an integration. */
export type IntegrationVisibility =
  /** REST value `private`. */
  | 'PRIVATE'
  /** REST value `public`. */
  | 'PUBLIC'
  /** A value GitBook’s API sent that this gateway does not know yet (newer than its copy of the API description). The value itself is in the response’s `extensions.warnings`. It cannot be sent as an argument. */
  | 'UNKNOWN'
  /** REST value `unlisted`. */
  | 'UNLISTED';

export type ConfigureInstallationMutationVariables = Exact<{
  integrationName: string;
  installationId: string;
  configuration?: unknown;
  spaceSelection?: InstallationSpaceSelection | null | undefined;
  externalIds?: Array<string> | string | null | undefined;
}>;


export type ConfigureInstallationMutation = { updateInstallation: { installation: { id: string, installationId: string, status: InstallationStatus, spaceSelection: InstallationSpaceSelection, siteSelection: InstallationSiteSelection, spaceCount: number, configuration: unknown, externalIds: Array<string>, updatedAt: string } } | null };

export type InstallIntegrationOnSpaceMutationVariables = Exact<{
  integrationName: string;
  installationId: string;
  spaceId: string;
}>;


export type InstallIntegrationOnSpaceMutation = { installIntegrationOnSpace: { spaceInstallation: { id: string, spaceId: string, status: InstallationStatus, space: { id: string, title: string | null } | null } } | null };

export type InstallIntegrationMutationVariables = Exact<{
  integrationName: string;
  organizationId: string;
}>;


export type InstallIntegrationMutation = { installIntegration: { installation: { id: string, installationId: string, status: InstallationStatus, spaceSelection: InstallationSpaceSelection, siteSelection: InstallationSiteSelection, spaceCount: number, configuration: unknown, externalIds: Array<string>, updatedAt: string } } | null };

export type InstallationDetailsFragment = { id: string, installationId: string, status: InstallationStatus, spaceSelection: InstallationSpaceSelection, siteSelection: InstallationSiteSelection, spaceCount: number, configuration: unknown, externalIds: Array<string>, updatedAt: string };

export type IntegrationInstallationStatusQueryVariables = Exact<{
  organizationId: string;
  integrationName: string;
}>;


export type IntegrationInstallationStatusQuery = { organization: { id: string, integrationInstallationStatus: InstallationStatus | null } | null };

export type IntegrationPageQueryVariables = Exact<{
  name: string;
  installationsFirst?: number | null | undefined;
  installationsAfter?: string | null | undefined;
}>;


export type IntegrationPageQuery = { integration: { id: string, name: string, title: string, description: string | null, summary: string | null, version: number, visibility: IntegrationVisibility, scopes: Array<IntegrationScope>, categories: Array<IntegrationCategory>, previewImages: Array<string>, blocks: Array<{ id: string, title: string, description: string | null }> | null, externalLinks: Array<{ url: string, label: string }>, owner: { id: string, organizationId: string, title: string | null } | null, installations: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, installationId: string, status: InstallationStatus, spaceSelection: InstallationSpaceSelection, siteSelection: InstallationSiteSelection, spaceCount: number, organization: { id: string, organizationId: string } | null }> } | null } | null };

export type MarketplaceQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  search?: string | null | undefined;
  category?: IntegrationCategory | null | undefined;
  target?: IntegrationTarget | null | undefined;
}>;


export type MarketplaceQuery = { integrations: { totalCount: number | null, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, title: string, summary: string | null, target: IntegrationTarget, categories: Array<IntegrationCategory>, verified: boolean, urls: { icon: string | null }, owner: { id: string, organizationId: string, title: string | null } | null }> } | null };

export type OrganizationIntegrationsQueryVariables = Exact<{
  organizationId: string;
  first?: number | null | undefined;
  target?: InstalledIntegrationTargetType | null | undefined;
}>;


export type OrganizationIntegrationsQuery = { organization: { id: string, organizationId: string, title: string | null, installedIntegrations: { totalCount: number | null, nodes: Array<{ status: InstallationStatus, target: { type: InstalledIntegrationTargetType, organizationId: string | null, spaceId: string | null, siteId: string | null }, integration: { id: string, name: string, title: string } | null }> } | null, installations: { totalCount: number | null, nodes: Array<{ id: string, installationId: string, status: InstallationStatus, configuration: unknown, integration: { id: string, name: string, title: string } | null }> } | null } | null };

export type RenderComponentActionMutationVariables = Exact<{
  integrationName: string;
  componentId: string;
  props: unknown;
  context: unknown;
  state?: unknown;
  action: unknown;
}>;


export type RenderComponentActionMutation = { renderIntegrationUI: { output: { type: ContentKitRenderOutputType, element: unknown, state: unknown, props: unknown, returnValue: unknown } } | null };

export type RenderComponentQueryVariables = Exact<{
  integrationName: string;
  componentId: string;
  props: unknown;
  context: unknown;
  state?: unknown;
}>;


export type RenderComponentQuery = { integrationUI: { type: ContentKitRenderOutputType, element: unknown, state: unknown, props: unknown, returnValue: unknown } | null };

export type RenderOutputFragment = { type: ContentKitRenderOutputType, element: unknown, state: unknown, props: unknown, returnValue: unknown };

export type UninstallIntegrationMutationVariables = Exact<{
  integrationName: string;
  installationId: string;
}>;


export type UninstallIntegrationMutation = { uninstallIntegration: { deletedInstallationId: string } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const InstallationDetailsFragmentDoc = new TypedDocumentString(`
    fragment InstallationDetails on Installation {
  id
  installationId
  status
  spaceSelection
  siteSelection
  spaceCount
  configuration
  externalIds
  updatedAt
}
    `, {"fragmentName":"InstallationDetails"}) as unknown as TypedDocumentString<InstallationDetailsFragment, unknown>;
export const RenderOutputFragmentDoc = new TypedDocumentString(`
    fragment RenderOutput on ContentKitRenderOutput {
  type
  element
  state
  props
  returnValue
}
    `, {"fragmentName":"RenderOutput"}) as unknown as TypedDocumentString<RenderOutputFragment, unknown>;
export const ConfigureInstallationDocument = new TypedDocumentString(`
    mutation ConfigureInstallation($integrationName: String!, $installationId: String!, $configuration: JSON, $spaceSelection: InstallationSpaceSelection, $externalIds: [String!]) {
  updateInstallation(
    input: {integrationName: $integrationName, installationId: $installationId, configuration: $configuration, spaceSelection: $spaceSelection, externalIds: $externalIds}
  ) {
    installation {
      ...InstallationDetails
    }
  }
}
    fragment InstallationDetails on Installation {
  id
  installationId
  status
  spaceSelection
  siteSelection
  spaceCount
  configuration
  externalIds
  updatedAt
}`, {"hash":"sha256:34c6030ab2c0bcb9ffa6c28e9b410b21ac14061a96da5e04e691c2985c6e88f8"}) as unknown as TypedDocumentString<ConfigureInstallationMutation, ConfigureInstallationMutationVariables>;
export const InstallIntegrationOnSpaceDocument = new TypedDocumentString(`
    mutation InstallIntegrationOnSpace($integrationName: String!, $installationId: String!, $spaceId: String!) {
  installIntegrationOnSpace(
    input: {integrationName: $integrationName, installationId: $installationId, spaceId: $spaceId}
  ) {
    spaceInstallation {
      id
      spaceId
      status
      space {
        id
        title
      }
    }
  }
}
    `, {"hash":"sha256:081752c993c6834af4442638b99ac9412b8a79373e4a8b438c54277accf6207c"}) as unknown as TypedDocumentString<InstallIntegrationOnSpaceMutation, InstallIntegrationOnSpaceMutationVariables>;
export const InstallIntegrationDocument = new TypedDocumentString(`
    mutation InstallIntegration($integrationName: String!, $organizationId: String!) {
  installIntegration(
    input: {integrationName: $integrationName, organizationId: $organizationId}
  ) {
    installation {
      ...InstallationDetails
    }
  }
}
    fragment InstallationDetails on Installation {
  id
  installationId
  status
  spaceSelection
  siteSelection
  spaceCount
  configuration
  externalIds
  updatedAt
}`, {"hash":"sha256:336a25b6fdbae4cb5bdac0e679c8aa4d156937a24ef160d98dd8513a0820b5d3"}) as unknown as TypedDocumentString<InstallIntegrationMutation, InstallIntegrationMutationVariables>;
export const IntegrationInstallationStatusDocument = new TypedDocumentString(`
    query IntegrationInstallationStatus($organizationId: String!, $integrationName: String!) {
  organization(organizationId: $organizationId) {
    id
    integrationInstallationStatus(integrationName: $integrationName)
  }
}
    `, {"hash":"sha256:4a7f3525d17ceefe2bcedf40e9a5bc50f735207f1255e70f5504f8929d8cfeda"}) as unknown as TypedDocumentString<IntegrationInstallationStatusQuery, IntegrationInstallationStatusQueryVariables>;
export const IntegrationPageDocument = new TypedDocumentString(`
    query IntegrationPage($name: String!, $installationsFirst: Int = 10, $installationsAfter: String) {
  integration(name: $name) {
    id
    name
    title
    description
    summary
    version
    visibility
    scopes
    categories
    previewImages
    blocks {
      id
      title
      description
    }
    externalLinks {
      url
      label
    }
    owner {
      id
      organizationId
      title
    }
    installations(first: $installationsFirst, after: $installationsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        installationId
        status
        spaceSelection
        siteSelection
        spaceCount
        organization {
          id
          organizationId
        }
      }
    }
  }
}
    `, {"hash":"sha256:243ea43156ccb9dbb6ca6d12fa6c3d9542bff7df7079ba041431599ea2fded37"}) as unknown as TypedDocumentString<IntegrationPageQuery, IntegrationPageQueryVariables>;
export const MarketplaceDocument = new TypedDocumentString(`
    query Marketplace($first: Int = 20, $after: String, $search: String, $category: IntegrationCategory, $target: IntegrationTarget) {
  integrations(
    first: $first
    after: $after
    search: $search
    category: $category
    target: $target
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      title
      summary
      target
      categories
      verified
      urls {
        icon
      }
      owner {
        id
        organizationId
        title
      }
    }
  }
}
    `, {"hash":"sha256:5eadb8d177a7f21aaa3d6b3d75056f1c559a6ad94fa3fee3b6f8f31b1e64a834"}) as unknown as TypedDocumentString<MarketplaceQuery, MarketplaceQueryVariables>;
export const OrganizationIntegrationsDocument = new TypedDocumentString(`
    query OrganizationIntegrations($organizationId: String!, $first: Int = 20, $target: InstalledIntegrationTargetType) {
  organization(organizationId: $organizationId) {
    id
    organizationId
    title
    installedIntegrations(first: $first, target: $target) {
      totalCount
      nodes {
        status
        target {
          type
          organizationId
          spaceId
          siteId
        }
        integration {
          id
          name
          title
        }
      }
    }
    installations(first: $first) {
      totalCount
      nodes {
        id
        installationId
        status
        configuration
        integration {
          id
          name
          title
        }
      }
    }
  }
}
    `, {"hash":"sha256:6e03d4c4b1dbee4d843f1ed70313d8b7ebb8ba0332d72bf76807abd4c4129bae"}) as unknown as TypedDocumentString<OrganizationIntegrationsQuery, OrganizationIntegrationsQueryVariables>;
export const RenderComponentActionDocument = new TypedDocumentString(`
    mutation RenderComponentAction($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON, $action: JSON!) {
  renderIntegrationUI(
    input: {integrationName: $integrationName, componentId: $componentId, props: $props, context: $context, state: $state, action: $action}
  ) {
    output {
      ...RenderOutput
    }
  }
}
    fragment RenderOutput on ContentKitRenderOutput {
  type
  element
  state
  props
  returnValue
}`, {"hash":"sha256:f1d8b99560f3488381056bef9d417b623100ffd73ef8aba03cd2271479625d85"}) as unknown as TypedDocumentString<RenderComponentActionMutation, RenderComponentActionMutationVariables>;
export const RenderComponentDocument = new TypedDocumentString(`
    query RenderComponent($integrationName: String!, $componentId: String!, $props: JSON!, $context: JSON!, $state: JSON) {
  integrationUI(
    integrationName: $integrationName
    componentId: $componentId
    props: $props
    context: $context
    state: $state
  ) {
    ...RenderOutput
  }
}
    fragment RenderOutput on ContentKitRenderOutput {
  type
  element
  state
  props
  returnValue
}`, {"hash":"sha256:16efa9ea4aa6bc30faf8b809d536f715eb45c01baffa3f3d8784be03c91afe68"}) as unknown as TypedDocumentString<RenderComponentQuery, RenderComponentQueryVariables>;
export const UninstallIntegrationDocument = new TypedDocumentString(`
    mutation UninstallIntegration($integrationName: String!, $installationId: String!) {
  uninstallIntegration(
    input: {integrationName: $integrationName, installationId: $installationId}
  ) {
    deletedInstallationId
  }
}
    `, {"hash":"sha256:ad35eb0db928608fe2ad3694d74831d5e59506b84266f438debf005c4cdd2ef6"}) as unknown as TypedDocumentString<UninstallIntegrationMutation, UninstallIntegrationMutationVariables>;