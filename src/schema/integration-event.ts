import type { IntegrationEvent } from '@gitbook/api';
import { getIntegrationEvent, listIntegrationEvents } from '../upstream/events.js';
import { builder } from './builder.js';
import { lookupUnlessOnly, ONE_REST_CALL } from './fan-out.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { keyParts, nodeKey } from './global-id.js';
import { installationLink, InstallationRef } from './installation.js';
import { BELOW_INTEGRATION, IntegrationRef, integrationLink } from './integration.js';
import { loadEach, registerNode } from './node.js';
import { componentSchema, operationDescription, property } from './spec.js';
import { restEnum, specFields, specObjectType } from './spec-types.js';
import { checkId } from './identifiers.js';

/** REST's event names its integration by id only; the graph keeps the name beside. */
export type IntegrationEventSource = IntegrationEvent & { integrationName: string };

function eventSource(integrationName: string, event: IntegrationEvent): IntegrationEventSource {
  return { ...event, integrationName };
}

const IntegrationEventStatus = restEnum(
  'IntegrationEventStatus',
  property('IntegrationEvent', 'status'),
  'Whether the integration handled the event successfully.',
);

const IntegrationEventLog = specObjectType('IntegrationEventLog', componentSchema('IntegrationEventLog'), {
  description: 'One line the integration logged while handling an event.',
  descriptions: { timestamp: 'When the line was logged.' },
  types: { level: restEnum('IntegrationEventLogLevel', property('IntegrationEventLog', 'level'), 'The level of a log line.') },
});

const IntegrationEventTrace = specObjectType('IntegrationEventTrace', componentSchema('IntegrationEventTrace'), {
  description: 'What happened while the integration handled an event.',
  descriptions: { logs: 'The lines the integration logged, in order.' },
  types: { logs: IntegrationEventLog },
});

export const IntegrationEventRef = builder.loadableNodeRef('IntegrationEvent', {
  id: { resolve: (event: IntegrationEventSource) => nodeKey(event.integrationName, event.id) },
  ...loadEach(async (key: string, context) => {
    const [integrationName = '', eventId = ''] = keyParts(key);
    return eventSource(integrationName, (await getIntegrationEvent(context.rest, integrationName, eventId)).event);
  }),
  // A listed event answers a later lookup of it in the same request.
  toKey: (event) => nodeKey(event.integrationName, event.id),
  cacheResolved: true,
});

// Through the loader: the events a list returned are primed in it.
registerNode(IntegrationEventRef, (key, context) => IntegrationEventRef.getDataloader(context).load(key));

IntegrationEventRef.implement({
  description: 'An event GitBook delivered to an integration, and how the integration handled it.',
  fields: (t) => ({
    eventId: t.string({ description: property('IntegrationEvent', 'id').description, resolve: (event) => event.id }),
    integrationId: t.string({
      description: 'The REST id of the integration the event was delivered to (`integration` links it by name).',
      resolve: (event) => event.integrationId,
    }),
    integration: t.field({
      type: IntegrationRef,
      nullable: true,
      extensions: lookupUnlessOnly(...BELOW_INTEGRATION),
      description: 'The integration the event was delivered to (null, with an error, if it cannot be fetched).',
      resolve: (event, _args, _context, info) => integrationLink(info, event.integrationName),
    }),
    installation: t.field({
      type: InstallationRef,
      nullable: true,
      extensions: lookupUnlessOnly('id', 'installationId'),
      description: 'The installation the event concerns, if any.',
      resolve: (event, _args, _context, info) =>
        event.installationId ? installationLink(info, event.integrationName, event.installationId) : null,
    }),
    type: t.string({
      description: 'The type of the event (`installation_setup`, `space_content_updated`, `ui_render`...).',
      resolve: (event) => event.payload.type,
    }),
    ...(specFields(t, 'IntegrationEvent', componentSchema('IntegrationEvent'), ['createdAt', 'status', 'payload'], {
      types: { status: IntegrationEventStatus },
      descriptions: { createdAt: 'When the event was created.' },
    }) as {}),
    trace: t.field({
      type: IntegrationEventTrace,
      nullable: true,
      extensions: ONE_REST_CALL,
      description: `What the integration logged while handling the event. ${operationDescription('getIntegrationEvent') || 'Fetched with GET /integrations/{integrationName}/events/{eventId}'}; a list does not carry it.`,
      resolve: async (event, _args, context) =>
        ((await getIntegrationEvent(context.rest, event.integrationName, event.id)).trace ?? null) as Record<
          string,
          unknown
        > | null,
    }),
  }),
});

const IntegrationEventConnection = connectionType(IntegrationEventRef, 'IntegrationEvent', 'A page of integration events.');

builder.objectFields(IntegrationRef, (t) => ({
  events: t.field({
    type: IntegrationEventConnection,
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'The events delivered to this integration, most recent first (GET /integrations/{integrationName}/events).',
    args: pageArgs(t.arg),
    resolve: (integration, args, context) =>
      resolvePageConnection(
        args,
        (page) => listIntegrationEvents(context.rest, integration.name, page),
        (event) => eventSource(integration.name, event),
      ),
  }),
  event: t.field({
    type: IntegrationEventRef,
    nullable: true,
    extensions: ONE_REST_CALL,
    description: 'One event delivered to this integration, by its id.',
    args: { eventId: t.arg.string({ required: true, description: 'ID of the integration event.' }) },
    resolve: (integration, args) => nodeKey(integration.name, checkId(args.eventId, 'eventId')),
  }),
}));
