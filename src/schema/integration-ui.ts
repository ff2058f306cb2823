import type { ContentKitRenderOutput, RenderIntegrationUI } from '@gitbook/api';
import { renderIntegrationUIWithGet, renderIntegrationUIWithPost } from '../upstream/render.js';
import { builder, type Types } from './builder.js';
import { ONE_REST_CALL } from './fan-out.js';
import { checkId, checkIntegrationName } from './identifiers.js';
import { checkRestBody, defineMutation } from './mutation.js';
import { componentSchema, describe, operationParameter, property, restRoute } from './spec.js';
import { restEnum } from './spec-types.js';

/**
 * Rendering an integration's ContentKit UI. The first render is an idempotent
 * GET (its request LZ-string encoded in the URL, so it can be cached); a
 * render that carries an action is a POST, and so a mutation. Elements stay
 * JSON: clients draw them with GitBook's own ContentKit renderer.
 */

const ContentKitRenderOutputType = restEnum(
  'ContentKitRenderOutputType',
  { type: 'string', enum: ['element', 'complete'] },
  'Whether the component answered with an element to draw, or completed its lifecycle.',
);

const ContentKitRenderOutputRef = builder.objectRef<ContentKitRenderOutput>('ContentKitRenderOutput');
ContentKitRenderOutputRef.implement({
  description: describe(componentSchema('ContentKitRenderOutput')),
  fields: (t) => ({
    type: t.field({
      type: ContentKitRenderOutputType,
      description: '`ELEMENT`: draw `element`; `COMPLETE`: the component is done and `returnValue` holds its result.',
      // REST may leave `type` out of an element output.
      resolve: (output) => ('type' in output && output.type ? output.type : 'element'),
    }),
    element: t.field({
      type: 'JSON',
      nullable: true,
      description: describe(property('ContentKitRenderOutputElement', 'element')) ?? 'The ContentKit element to draw.',
      resolve: (output) => ('element' in output ? output.element : null),
    }),
    state: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The local state of the component, to send back with the next render.',
      resolve: (output) => ('state' in output ? output.state : null),
    }),
    props: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The properties of the component, to send back with the next render.',
      resolve: (output) => ('props' in output ? output.props : null),
    }),
    returnValue: t.field({
      type: 'JSON',
      nullable: true,
      description: 'What the component returned when it completed.',
      resolve: (output) => ('returnValue' in output ? (output.returnValue ?? null) : null),
    }),
    canAccessVisitorClaims: t.boolean({
      nullable: true,
      description: describe(property('ContentKitRenderOutputElement', 'canAccessVisitorClaims')),
      resolve: (output) => ('canAccessVisitorClaims' in output ? (output.canAccessVisitorClaims ?? null) : null),
    }),
  }),
});

interface RenderArgs {
  integrationName: string;
  componentId: string;
  props?: unknown;
  state?: unknown;
  context?: unknown;
  action?: unknown;
}

/** The REST render request, checked against the spec's RenderIntegrationUI before any call. */
function renderRequest(args: RenderArgs): { name: string; request: RenderIntegrationUI } {
  const name = checkIntegrationName(args.integrationName);
  const request: Record<string, unknown> = {
    componentId: checkId(args.componentId, 'componentId'),
    props: args.props,
    context: args.context,
  };
  if (args.state != null) request.state = args.state;
  if (args.action != null) request.action = args.action;
  checkRestBody('renderIntegrationUIWithPost', request);
  return { name, request: request as unknown as RenderIntegrationUI };
}

const describeRequest = (name: string) => describe(property('RenderIntegrationUI', name)) ?? name;

builder.queryField('integrationUI', (t) =>
  t.field({
    type: ContentKitRenderOutputRef,
    nullable: true,
    extensions: ONE_REST_CALL,
    description:
      'Renders a ContentKit component of an integration for the first time ' +
      `(${restRoute('renderIntegrationUIWithGet')}, the request as ` +
      `${operationParameter('renderIntegrationUIWithGet', 'request').description}). ` +
      'Actions go through the renderIntegrationUI mutation.',
    args: {
      integrationName: t.arg.string({ required: true, description: 'Name of the integration.' }),
      componentId: t.arg.string({ required: true, description: describeRequest('componentId') }),
      props: t.arg({ type: 'JSON', required: true, description: describeRequest('props') }),
      state: t.arg({ type: 'JSON', description: describeRequest('state') }),
      context: t.arg({ type: 'JSON', required: true, description: describeRequest('context') }),
    },
    resolve: (_root, args, context) => {
      const { name, request } = renderRequest(args);
      return renderIntegrationUIWithGet(context.rest, name, request);
    },
  }),
);

defineMutation('renderIntegrationUI', {
  changes: false,
  description:
    `Renders a ContentKit component with an action (${restRoute('renderIntegrationUIWithPost')}). ` +
    'The integration may change state.',
  input: {
    description: 'Input of renderIntegrationUI: the render request, usually with the action the user took.',
    fields: (t) => ({
      integrationName: t.string({ required: true, description: 'Name of the integration.' }),
      componentId: t.string({ required: true, description: describeRequest('componentId') }),
      props: t.field({ type: 'JSON', required: true, description: describeRequest('props') }),
      state: t.field({ type: 'JSON', description: describeRequest('state') }),
      context: t.field({ type: 'JSON', required: true, description: describeRequest('context') }),
      action: t.field({ type: 'JSON', description: 'The action to dispatch to the component (a ContentKit action).' }),
    }),
  },
  payload: {
    description: 'What the component rendered.',
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, { output: ContentKitRenderOutput }>) => ({
      output: t.field({
        type: ContentKitRenderOutputRef,
        description: 'The render output.',
        resolve: (payload) => payload.output,
      }),
    }),
  },
  write: async (input, context) => {
    const { name, request } = renderRequest(input);
    return { output: await renderIntegrationUIWithPost(context.rest, name, request) };
  },
});
