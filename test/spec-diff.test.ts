import { describe, expect, it } from 'vitest';
import { diffSpecs, type SpecDocument } from '../scripts/spec-diff/compare.js';
import { formatReport } from '../scripts/spec-diff/report.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Loose on purpose: each test edits the fixture in place, the way a new version would. */
type Fixture = SpecDocument & {
  paths: Record<string, any>;
  components: { parameters: Record<string, any>; schemas: Record<string, any> };
};

/** A small GitBook-like document: two operations in scope, one outside it. */
function pinnedDocument(): Fixture {
  return {
    paths: {
      '/integrations': {
        get: {
          operationId: 'listIntegrations',
          tags: ['integrations'],
          parameters: [
            { $ref: '#/components/parameters/listLimit' },
            { name: 'category', in: 'query', schema: { type: 'string', enum: ['analytics', 'collaboration'] } },
          ],
          responses: { '200': { description: 'Integrations', ...json({ type: 'array', items: ref('Integration') }) } },
        },
      },
      '/orgs/{organizationId}': {
        get: {
          operationId: 'getOrganizationById',
          tags: ['organizations'],
          responses: { '200': { description: 'The organization', ...json(ref('Organization')) } },
        },
      },
      '/spaces/{spaceId}': {
        get: {
          operationId: 'getSpaceById',
          tags: ['spaces'],
          responses: { '200': { description: 'The space', ...json(ref('Space')) } },
        },
      },
    },
    components: {
      parameters: {
        listLimit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
      },
      schemas: {
        Integration: {
          type: 'object',
          required: ['name', 'target'],
          properties: {
            name: { type: 'string' },
            target: ref('IntegrationTarget'),
            visibility: { type: 'string', enum: ['public', 'private'] },
          },
        },
        IntegrationTarget: { type: 'string', enum: ['all', 'site', 'space', 'organization'] },
        Organization: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } },
        Space: {
          type: 'object',
          properties: { id: { type: 'string' }, visibility: { type: 'string', enum: ['public'] } },
        },
      },
    },
  };
}

/** The pinned document as `change` edits it into the next version. */
function latestDocument(change: (document: Fixture) => void): SpecDocument {
  const document = pinnedDocument();
  change(document);
  return document;
}

const report = (latest: SpecDocument) => formatReport(diffSpecs(pinnedDocument(), latest));

describe('spec:diff', () => {
  it('reports what changed in scope, and nothing of what changed outside it', () => {
    const latest = latestDocument((document) => {
      document.components.schemas.IntegrationTarget.enum.push('account');
      delete document.components.schemas.Integration.properties.visibility;
      document.components.parameters.listLimit.schema.maximum = 100;
      document.paths['/integrations'].get.parameters[1].required = true;
      // Outside the scope: a new spaces operation, and a change to a schema only it reaches.
      document.paths['/spaces/{spaceId}'].post = {
        operationId: 'updateSpaceById',
        tags: ['spaces'],
        requestBody: json(ref('Space')),
        responses: { '200': { description: 'The space', ...json(ref('Space')) } },
      };
      document.components.schemas.Space.properties.visibility.enum.push('unlisted');
    });

    expect(report(latest)).toEqual([
      'Parameters (2)',
      '  ~ #/components/parameters/listLimit  maximum 1000 → 100',
      '  ~ listIntegrations query.category  optional → required',
      '',
      'Request and response bodies (1)',
      '  - Integration.visibility  optional string',
      '',
      'Enum values (1)',
      '  + IntegrationTarget  "account"',
      '',
      'Summary: 0 operations, 2 parameters, 1 property, 1 enum value, 0 branches, 0 responses, 0 schemas (4 differences)',
    ]);
  });

  it('says so when nothing in scope changed', () => {
    const latest = latestDocument((document) => {
      document.components.schemas.Space.properties.title = { type: 'string' };
    });

    expect(report(latest)).toEqual([
      "No differences in the gateway's scope (2 operations, 3 component schemas compared).",
      'Summary: 0 operations, 0 parameters, 0 properties, 0 enum values, 0 branches, 0 responses, 0 schemas (0 differences)',
    ]);
  });

  it('reports operations, status codes, types, required-ness and union branches', () => {
    const latest = latestDocument((document) => {
      document.paths['/integrations'].get.responses['404'] = { description: 'Not found' };
      document.paths['/integrations'].get.parameters[1].schema.enum.push('ai');
      document.paths['/integrations/{integrationName}'] = {
        delete: {
          operationId: 'unpublishIntegration',
          tags: ['integrations'],
          responses: { '204': { description: 'Gone' } },
        },
      };
      document.paths['/orgs/{organizationId}'].get.tags = ['organizations', 'critical'];
      const organization = document.components.schemas.Organization;
      organization.required = ['id'];
      organization.properties.title = { type: ['string', 'null'] };
      organization.properties.owner = { oneOf: [ref('Integration'), ref('Space')] };
      document.components.schemas.Integration.properties.installs = { type: 'integer' };
    });

    expect(report(latest)).toEqual([
      'Operations (2)',
      '  ~ getOrganizationById  tags organizations → organizations, critical',
      '  + unpublishIntegration  DELETE /integrations/{integrationName} [integrations]',
      '',
      'Request and response bodies (4)',
      '  + Integration.installs  optional integer',
      '  ~ Organization.id  optional → required',
      '  + Organization.owner  optional Integration | Space',
      '  ~ Organization.title  type string → string | null',
      '',
      'Enum values (1)',
      '  + listIntegrations query.category  "ai"',
      '',
      'Response status codes and media types (1)',
      '  + listIntegrations response 404  Not found',
      '',
      // Space is reached through Organization.owner now, but both versions have it: nothing to add.
      'Summary: 2 operations, 0 parameters, 4 properties, 1 enum value, 0 branches, 1 response, 0 schemas (8 differences)',
    ]);
  });

  it('compares the branches of a union both versions have, by name', () => {
    const latest = latestDocument((document) => {
      document.components.schemas.Organization.properties.owner = { oneOf: [ref('Integration'), { type: 'null' }] };
    });
    const pinned = pinnedDocument();
    pinned.components.schemas.Organization.properties.owner = { oneOf: [ref('Space'), ref('Integration')] };

    expect(formatReport(diffSpecs(pinned, latest))).toEqual([
      'Union branches (oneOf / anyOf / allOf) (2)',
      '  + Organization.owner  oneOf null',
      '  - Organization.owner  oneOf Space',
      '',
      'Summary: 0 operations, 0 parameters, 0 properties, 0 enum values, 2 branches, 0 responses, 0 schemas (2 differences)',
    ]);
  });
});
