import type { IntegrationEvent } from '@gitbook/api';
import type { Context } from '../context.js';
import { DEFAULT_LIVE_EVENTS, type LiveEvent } from '../live-events.js';
import { getIntegrationEvent, getIntegrationEventWithTrace, listIntegrationEvents } from '../upstream/events.js';
import { builder } from './builder.js';
import { connectionType, pageArgs, resolvePageConnection } from './connection.js';
import { BY_KEY, BY_KEY_FROM_KEY, FROM_KEY, ONE_REST_CALL, ONE_REST_CALL_FROM_KEY } from './fan-out.js';
import { checkId, checkIntegrationName } from './identifiers.js';
import { InstallationNode, InstallationRef } from './installation.js';
import { IntegrationNode, IntegrationRef } from './integration.js';
import { defineNode, restProperty } from './node.js';
import { componentSchema, operationDescription, property, restRoute } from './spec.js';
import { restEnum, specFields, specObjectType } from './spec-types.js';

/** An event delivered to an integration. REST's event names its integration by id only: the key holds its name. */
export const IntegrationEventNode = defineNode<IntegrationEvent>({
  name: 'IntegrationEvent',
  description: 'An event GitBook delivered to an integration, and how the integration handled it.',
  key: ['integrationName', 'id'],
  load: ([integrationName = '', eventId = ''], context: Context) =>
    getIntegrationEvent(context.rest, integrationName, eventId).then((answer) => answer.event),
});
export const IntegrationEventRef = IntegrationEventNode.ref;

const eventOf = (integrationName: string, event: IntegrationEvent) =>
  IntegrationEventNode.known([integrationName, event.id], event);

const IntegrationEventStatus = restEnum(
  'IntegrationEventStatus',
  property('IntegrationEvent', 'status'),
  'Whether the integration handled the event successfully.',
);

const IntegrationEventLog = specObjectType('IntegrationEventLog', componentSchema('IntegrationEventLog'), {
  description: 'One line the integration logged while handling an event.',
  descriptions: { timestamp: 'When the line was logged.' },
  types: {
    level: restEnum('IntegrationEventLogLevel', property('IntegrationEventLog', 'level'), 'The level of a log line.'),
  },
});

const IntegrationEventTrace = specObjectType('IntegrationEventTrace', componentSchema('IntegrationEventTrace'), {
  description: 'What happened while the integration handled an event.',
  descriptions: { logs: 'The lines the integration logged, in order.' },
  types: { logs: IntegrationEventLog },
});

builder.objectFields(IntegrationEventRef, (t) => ({
  eventId: t.string({
    description: property('IntegrationEvent', 'id').description,
    extensions: FROM_KEY,
    resolve: (event) => event.key[1] ?? '',
  }),
  integrationId: t.string({
    description: 'The REST id of the integration the event was delivered to (`integration` links it by name).',
    resolve: (event, _args, context) => restProperty(event, 'integrationId', context) as string,
  }),
  integration: t.field({
    type: IntegrationRef,
    nullable: true,
    extensions: BY_KEY_FROM_KEY,
    description: 'The integration the event was delivered to (null, with an error, if it cannot be fetched).',
    resolve: (event, _args, context, info) => IntegrationNode.link(info, context, [event.key[0] ?? '']),
  }),
  installation: t.field({
    type: InstallationRef,
    nullable: true,
    extensions: BY_KEY,
    description: 'The installation the event concerns, if any.',
    resolve: async (event, _args, context, info) => {
      const installationId = (await restProperty(event, 'installationId', context)) as string | undefined;
      return installationId ? InstallationNode.link(info, context, [event.key[0] ?? '', installationId]) : null;
    },
  }),
  type: t.string({
    description: 'The type of the event (`installation_setup`, `space_content_updated`, `ui_render`...).',
    resolve: async (event, _args, context) =>
      ((await restProperty(event, 'payload', context)) as IntegrationEvent['payload']).type,
  }),
  ...specFields(t, 'IntegrationEvent', componentSchema('IntegrationEvent'), ['createdAt', 'status', 'payload'], {
    types: { status: IntegrationEventStatus },
    descriptions: { createdAt: 'When the event was created.' },
    read: restProperty,
  }),
  trace: t.field({
    type: IntegrationEventTrace,
    nullable: true,
    extensions: ONE_REST_CALL_FROM_KEY,
    description:
      'What the integration logged while handling the event. ' +
      `${operationDescription('getIntegrationEvent') || `Fetched with ${restRoute('getIntegrationEvent')}`}; ` +
      'a list does not carry it.',
    resolve: async (event, _args, context) =>
      ((await getIntegrationEventWithTrace(context.rest, event.key[0] ?? '', event.key[1] ?? '')).trace ??
        null) as Record<string, unknown> | null,
  }),
}));

const IntegrationEventConnection = connectionType(
  IntegrationEventRef,
  'IntegrationEvent',
  'A page of integration events.',
);

builder.objectFields(IntegrationRef, (t) => ({
  events: t.field({
    type: IntegrationEventConnection,
    nullable: true,
    extensions: ONE_REST_CALL_FROM_KEY,
    description: `The events delivered to this integration, most recent first (${restRoute('listIntegrationEvents')}).`,
    args: pageArgs(t.arg),
    resolve: (integration, args, context) => {
      const name = integration.key[0] ?? '';
      return resolvePageConnection(
        args,
        (page) => listIntegrationEvents(context.rest, name, page),
        (event) => eventOf(name, event),
      );
    },
  }),
  event: t.field({
    type: IntegrationEventRef,
    nullable: true,
    extensions: ONE_REST_CALL_FROM_KEY,
    description: 'One event delivered to this integration, by its id.',
    args: { eventId: t.arg.string({ required: true, description: 'ID of the integration event.' }) },
    resolve: (integration, args, context, info) =>
      IntegrationEventNode.link(info, context, [integration.key[0] ?? '', checkId(args.eventId, 'eventId')], 'always'),
  }),
}));

builder.subscriptionType({
  description: 'Live data, each field a stream of GraphQL over Server-Sent Events (`Accept: text/event-stream`).',
});

builder.subscriptionField('integrationEvents', (t) =>
  t.field({
    type: IntegrationEventRef,
    // A poll of the list per interval: the fan-out rules count it once, and the selection of each event on top.
    extensions: ONE_REST_CALL,
    description:
      'Each new event of the integration, oldest first, once each: the gateway polls ' +
      `${restRoute('listIntegrationEvents')} with the subscriber's token, every ` +
      `${DEFAULT_LIVE_EVENTS.minIntervalMs / 1000} s while events come and less often (up to every ` +
      `${DEFAULT_LIVE_EVENTS.maxIntervalMs / 1000} s) while none do. Ends with the REST error if GitBook refuses the poll.`,
    args: { integrationName: t.arg.string({ required: true, description: 'Name of the integration.' }) },
    subscribe: (_root, args, context) =>
      context.liveEvents.subscribe(context.request, checkIntegrationName(args.integrationName)),
    resolve: (live: LiveEvent, _args, context) => {
      // Fields read below the event call REST with a client of this event's own (its cache, its deadline).
      context.rest = live.rest;
      return eventOf(live.integrationName, live.event);
    },
  }),
);
