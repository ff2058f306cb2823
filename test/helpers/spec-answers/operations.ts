import {
  type GraphQLField,
  type GraphQLInputType,
  GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { IDS } from './fixups.js';

/**
 * A GraphQL operation per REST route: the path of fields that reaches the
 * route (the one hand-written part: which field calls which route), then,
 * below its last field, every field of what comes back, generated from the
 * schema. Each object type is selected whole once, at the shallowest place
 * it appears (breadth first); elsewhere only its scalar and enum fields are
 * selected. So every type and every field is covered, a type's links to
 * other nodes call their own routes, and the operation stays finite.
 */

export interface Step {
  field: string;
  /** Arguments written inline (strings and numbers only). */
  args?: Record<string, string | number>;
}

export interface Entry {
  kind: 'query' | 'mutation';
  steps: Step[];
}

const integration: Step = { field: 'integration', args: { name: IDS.integrationName } };
const installation: Step = { field: 'installation', args: { installationId: IDS.installationId } };
const organization: Step = { field: 'organization', args: { organizationId: IDS.organizationId } };
const site: Step = { field: 'site', args: { siteId: IDS.siteId } };
const mutation = (field: string): Entry => ({ kind: 'mutation', steps: [{ field }] });
const query = (...steps: Step[]): Entry => ({ kind: 'query', steps });

/** Which GraphQL field calls which REST operation. */
export const ENTRIES: Record<string, Entry> = {
  listIntegrations: query({ field: 'integrations' }),
  getIntegrationByName: query(integration),
  publishIntegration: mutation('publishIntegration'),
  unpublishIntegration: mutation('unpublishIntegration'),
  listIntegrationInstallations: query(integration, { field: 'installations' }),
  installIntegration: mutation('installIntegration'),
  listIntegrationEvents: query(integration, { field: 'events' }),
  getIntegrationEvent: query(integration, { field: 'event', args: { eventId: IDS.eventId } }),
  listIntegrationSpaceInstallations: query(integration, { field: 'spaceInstallations' }),
  listIntegrationSiteInstallations: query(integration, { field: 'siteInstallations' }),
  setIntegrationDevelopmentMode: mutation('setIntegrationDevelopmentMode'),
  disableIntegrationDevelopmentMode: mutation('disableIntegrationDevelopmentMode'),
  renderIntegrationUIWithGet: query({ field: 'integrationUI' }),
  renderIntegrationUIWithPost: mutation('renderIntegrationUI'),
  queueIntegrationTask: mutation('queueIntegrationTask'),
  getIntegrationInstallationById: query(integration, installation),
  updateIntegrationInstallation: mutation('updateInstallation'),
  uninstallIntegration: mutation('uninstallIntegration'),
  createIntegrationInstallationToken: mutation('createInstallationToken'),
  listIntegrationInstallationSpaces: query(integration, installation, { field: 'spaceInstallations' }),
  installIntegrationOnSpace: mutation('installIntegrationOnSpace'),
  getIntegrationSpaceInstallation: query(integration, installation, {
    field: 'spaceInstallation',
    args: { spaceId: IDS.spaceId },
  }),
  updateIntegrationSpaceInstallation: mutation('updateSpaceInstallation'),
  uninstallIntegrationFromSpace: mutation('uninstallIntegrationFromSpace'),
  listIntegrationInstallationSites: query(integration, installation, { field: 'siteInstallations' }),
  installIntegrationOnSite: mutation('installIntegrationOnSite'),
  getIntegrationSiteInstallation: query(integration, installation, {
    field: 'siteInstallation',
    args: { siteId: IDS.siteId },
  }),
  updateIntegrationSiteInstallation: mutation('updateSiteInstallation'),
  uninstallIntegrationFromSite: mutation('uninstallIntegrationFromSite'),
  getOrganizationById: query(organization),
  listOrganizationIntegrations: query(organization, { field: 'integrations' }),
  getOrganizationIntegrationStatus: query(organization, {
    field: 'integrationInstallationStatus',
    args: { integrationName: IDS.integrationName },
  }),
  listOrganizationInstallations: query(organization, { field: 'installations' }),
  listOrganizationIntegrationsStatus: query(organization, { field: 'installedIntegrations' }),
  listSiteIntegrationScripts: query(organization, site, { field: 'integrationScripts' }),
  listSiteIntegrations: query(organization, site, { field: 'integrations' }),
};

/** Connections ask for this many items (the stub serves as many). */
export const FIRST = 2;

const DOCUMENT_CONTEXT = { type: 'document', theme: 'light', spaceId: IDS.spaceId, editable: true };

/** Values of required arguments and input fields, by name; `integrationUI` takes its JSON ones as variables. */
export const VALUES: Record<string, unknown> = {
  name: IDS.integrationName,
  integrationName: IDS.integrationName,
  installationId: IDS.installationId,
  eventId: IDS.eventId,
  spaceId: IDS.spaceId,
  siteId: IDS.siteId,
  organizationId: IDS.organizationId,
  componentId: IDS.componentId,
  props: {},
  context: DOCUMENT_CONTEXT,
  action: { action: 'spec-answers.refresh' },
  title: 'Spec answers',
  description: 'An integration the spec-answers test publishes.',
  script: 'export default {};',
  scopes: ['SPACE_CONTENT_READ'],
  tunnelUrl: 'https://example.com/tunnel',
  task: { type: 'sync' },
};

/** What a JSON value looks like in GraphQL (keys bare, strings JSON-quoted). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([key, inner]) => `${key}: ${literal(inner)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** An input value built from the input type: its required fields and the optional ones with a known value. */
function inputValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return inputValue(type.ofType, name);
  if (isListType(type)) return VALUES[name];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.name in VALUES) value[field.name] = inputValue(field.type, field.name);
      else if (isNonNullType(field.type))
        throw new Error(`no value for the required input field ${type.name}.${field.name}`);
    }
    return value;
  }
  if (!(name in VALUES)) throw new Error(`no value for ${name}`);
  return VALUES[name];
}

function argumentsOf(field: GraphQLField<unknown, unknown>, given: Record<string, string | number> = {}): string {
  const args: string[] = [];
  for (const argument of field.args) {
    if (argument.name in given) args.push(`${argument.name}: ${literal(given[argument.name])}`);
    else if (argument.name === 'first') args.push(`first: ${FIRST}`);
    else if (isNonNullType(argument.type))
      args.push(`${argument.name}: ${literal(inputValue(argument.type, argument.name))}`);
  }
  return args.length > 0 ? `(${args.join(', ')})` : '';
}

export interface SelectionOptions {
  /** Space and Site objects select only `id`, so the gateway asks no `extended=true` form. */
  contentIdOnly?: boolean;
}

const CONTENT_TYPES = new Set(['Space', 'Site']);

/** Every field below `type`, each object type whole once (see the header). */
export function selectEverything(type: GraphQLObjectType, options: SelectionOptions = {}): string {
  const wholeAt = new Map<string, string>();
  const queue: GraphQLObjectType[] = [type];
  wholeAt.set(type.name, '');
  while (queue.length > 0) {
    const current = queue.shift() as GraphQLObjectType;
    for (const field of Object.values(current.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named) && !wholeAt.has(named.name)) {
        wholeAt.set(named.name, `${current.name}.${field.name}`);
        queue.push(named);
      }
    }
  }
  const render = (current: GraphQLObjectType, whole: boolean): string => {
    if (options.contentIdOnly && CONTENT_TYPES.has(current.name)) return 'id';
    const parts: string[] = [];
    for (const field of Object.values(current.getFields())) {
      const named = getNamedType(field.type);
      const head = `${field.name}${argumentsOf(field)}`;
      if (isLeafType(named)) parts.push(head);
      else if (whole && isObjectType(named)) {
        parts.push(`${head} { ${render(named, wholeAt.get(named.name) === `${current.name}.${field.name}`)} }`);
      }
    }
    return parts.length > 0 ? parts.join(' ') : '__typename';
  };
  return render(type, true);
}

export interface BuiltOperation {
  query: string;
  variables: Record<string, unknown>;
  /** The response path of the field that calls the route. */
  path: string[];
}

/** The operation reaching `operationId`'s route, selecting everything below it. */
export function buildOperation(
  schema: GraphQLSchema,
  operationId: string,
  options: SelectionOptions = {},
): BuiltOperation {
  const entry = ENTRIES[operationId];
  if (!entry) throw new Error(`no GraphQL entry for ${operationId}: add one to ENTRIES`);
  let type: GraphQLObjectType | null | undefined =
    entry.kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const heads: string[] = [];
  for (const step of entry.steps) {
    const field = type?.getFields()[step.field];
    if (!type || !field) throw new Error(`${type?.name}.${step.field} does not exist`);
    const given = { ...step.args };
    const jsonArgs: string[] = [];
    for (const argument of field.args) {
      // Inputs and JSON arguments travel as variables.
      const named = getNamedType(argument.type);
      if (argument.name in given || !isNonNullType(argument.type)) continue;
      if (isInputObjectType(named) || named.name === 'JSON') {
        variables[argument.name] = inputValue(argument.type, argument.name);
        definitions.push(`$${argument.name}: ${argument.type.toString()}`);
        jsonArgs.push(`${argument.name}: $${argument.name}`);
      }
    }
    const passed = new Set(jsonArgs.map((text) => text.slice(0, text.indexOf(':'))));
    const inline = argumentsOf({ ...field, args: field.args.filter((argument) => !passed.has(argument.name)) }, given);
    const all = [inline.slice(1, -1), ...jsonArgs].filter(Boolean).join(', ');
    heads.push(`${step.field}${all ? `(${all})` : ''}`);
    const named = getNamedType(field.type);
    type = named instanceof GraphQLObjectType ? named : undefined;
    if (!type && step !== entry.steps.at(-1)) throw new Error(`${step.field} is not an object`);
  }
  const body = type ? ` { ${selectEverything(type, options)} }` : '';
  const text = heads.reduceRight(
    (inner, head, index) => (index === heads.length - 1 ? `${head}${body}` : `${head} { ${inner} }`),
    '',
  );
  const signature = definitions.length > 0 ? `(${definitions.join(', ')})` : '';
  return {
    query: `${entry.kind} SpecAnswers${signature} { ${text} }`,
    variables,
    path: entry.steps.map((step) => step.field),
  };
}
