import type { ContentKitRenderOutput } from '@gitbook/api';
import lzString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { organizationId } from '../src/simulator/index.js';
import { useHarness } from './helpers/harness.js';
import { bearer, errorSummary, expectedRenderOutput, restAnswer, TOKENS } from './helpers/rest-fixtures.js';
import { expectedWrite, restWrite } from './helpers/write-fixtures.js';

const h = await useHarness({ resetStateBeforeEach: true });
const store = h.simulator.store;

const OUTPUT = 'type element state props returnValue canAccessVisitorClaims';

const QUERY = /* GraphQL */ `
  query Render($integrationName: String!, $componentId: String!, $props: JSON!, $state: JSON, $context: JSON!) {
    integrationUI(integrationName: $integrationName, componentId: $componentId, props: $props, state: $state, context: $context) {
      ${OUTPUT}
    }
  }
`;
const MUTATION = /* GraphQL */ `
  mutation Render($input: RenderIntegrationUIInput!) {
    renderIntegrationUI(input: $input) { output { ${OUTPUT} } }
  }
`;

const someSpace = (() => {
  const [space] = store.spaces.values();
  if (!space) throw new Error('no space in the store');
  return space.id;
})();
const documentContext = { type: 'document', theme: 'light', spaceId: someSpace, editable: true };
const accountContext = { type: 'configuration_account', theme: 'dark', organizationId: organizationId('acme') };

/** The seeded components with hand-written UIs, each with props and a context that fit it. */
const COMPONENTS = [
  {
    integrationName: 'kudos',
    componentId: 'kudos-counter',
    props: { initial: 3, message: 'Thanks!' },
    context: documentContext,
  },
  {
    integrationName: 'mermaid',
    componentId: 'mermaid',
    props: { content: 'graph LR\n  A --> B' },
    context: documentContext,
  },
  {
    integrationName: 'github-files',
    componentId: 'github-code-block',
    props: { url: 'https://github.com/octo/repo/blob/main/src/index.ts' },
    context: documentContext,
  },
  {
    integrationName: 'slack',
    componentId: 'configure',
    props: { default_channel: '#general' },
    context: accountContext,
  },
];

/** An integration REST renders no UI for (no blocks, no content sources, no hand-written component). */
const NO_UI = (() => {
  const handWritten = new Set(COMPONENTS.map((component) => component.integrationName));
  const record = [...store.integrations.values()].find(
    ({ integration }) =>
      integration.visibility === 'public' &&
      !handWritten.has(integration.name) &&
      (integration.blocks ?? []).length === 0 &&
      (integration.contentSources ?? []).length === 0,
  );
  if (!record) throw new Error('every integration of the seed has a UI');
  return record.integration.name;
})();

/** The `request` parameter of a recorded GET render, decoded as the spec says. */
function decodedRequest(query: Record<string, string>): unknown {
  expect(Object.keys(query)).toEqual(['request']);
  const json = lzString.decompressFromEncodedURIComponent(query.request ?? '');
  expect(json).toBeTruthy();
  return JSON.parse(json as string);
}

/** What REST answers to a GET render of `request`, sent straight to the simulator. */
async function restRenderGet(
  integrationName: string,
  request: object,
  token?: string,
): Promise<ContentKitRenderOutput> {
  const encoded = lzString.compressToEncodedURIComponent(JSON.stringify(request));
  const { status, body } = await restAnswer<ContentKitRenderOutput>(
    h,
    `/integrations/${integrationName}/render`,
    { request: encoded },
    token,
  );
  expect(status).toBe(200);
  return body;
}

describe('Query.integrationUI', () => {
  it.each(COMPONENTS)(
    '$integrationName/$componentId: one GET …/render whose lz-string `request` is the JSON sent; the element is passed through',
    async ({ integrationName, componentId, props, context }) => {
      const state = { seen: true };
      const data = await h.data(
        QUERY,
        { integrationName, componentId, props, state, context },
        { token: TOKENS.carol },
      );

      const calls = h.calls();
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        method: 'GET',
        path: `/integrations/${integrationName}/render`,
        authorization: bearer(TOKENS.carol),
        body: undefined,
        status: 200,
      });
      expect(decodedRequest(calls[0]!.query)).toStrictEqual({ componentId, props, state, context });

      const direct = await restRenderGet(integrationName, { componentId, props, state, context }, TOKENS.carol);
      expect(data.integrationUI).toEqual(expectedRenderOutput(direct));
      expect(data.integrationUI.type).toBe('ELEMENT');
      expect(data.integrationUI.element).toEqual(expect.objectContaining({ type: expect.any(String) }));
    },
  );

  it('leaves `state` out of the request when it is not given', async () => {
    const { integrationName, componentId, props, context } = COMPONENTS[0]!;
    const data = await h.data(QUERY, { integrationName, componentId, props, context });
    const calls = h.calls();
    expect(calls).toHaveLength(1);
    expect(decodedRequest(calls[0]!.query)).toStrictEqual({ componentId, props, context });
    expect(data.integrationUI).toEqual(
      expectedRenderOutput(await restRenderGet(integrationName, { componentId, props, context })),
    );
  });

  it('the same render asked twice in one query is one GET; a different one is another', async () => {
    const { integrationName, componentId, context } = COMPONENTS[0]!;
    const data = await h.data(
      `query ($context: JSON!) {
      a: integrationUI(integrationName: "${integrationName}", componentId: "${componentId}", props: { initial: 1 }, context: $context) { state }
      b: integrationUI(integrationName: "${integrationName}", componentId: "${componentId}", props: { initial: 1 }, context: $context) { state }
      c: integrationUI(integrationName: "${integrationName}", componentId: "${componentId}", props: { initial: 2 }, context: $context) { state }
    }`,
      { context },
    );
    const requests = h.calls().map((call) => decodedRequest(call.query));
    expect(requests).toHaveLength(2);
    expect(requests).toEqual(
      expect.arrayContaining([
        { componentId, props: { initial: 1 }, context },
        { componentId, props: { initial: 2 }, context },
      ]),
    );
    const one = expectedRenderOutput(
      await restRenderGet(integrationName, { componentId, props: { initial: 1 }, context }),
    );
    const two = expectedRenderOutput(
      await restRenderGet(integrationName, { componentId, props: { initial: 2 }, context }),
    );
    expect(data).toEqual({ a: { state: one.state }, b: { state: one.state }, c: { state: two.state } });
    expect(one.state).not.toEqual(two.state);
  });

  it('an integration without UI is NOT_FOUND with status 404, after one GET', async () => {
    const { componentId, props, context } = COMPONENTS[0]!;
    const response = await h.graphql(QUERY, { integrationName: NO_UI, componentId, props, context });
    expect(response.data).toEqual({ integrationUI: null });
    expect(errorSummary(response)).toEqual([{ path: ['integrationUI'], code: 'NOT_FOUND', status: 404 }]);
    const calls = h.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', path: `/integrations/${NO_UI}/render`, status: 404 });
  });

  it('an unknown component of an integration with UI is NOT_FOUND with status 404', async () => {
    const { integrationName, props, context } = COMPONENTS[0]!;
    const response = await h.graphql(QUERY, { integrationName, componentId: 'no-such-component', props, context });
    expect(errorSummary(response)).toEqual([{ path: ['integrationUI'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toHaveLength(1);
  });
});

/** Requests the spec's RenderIntegrationUI refuses, each with the input field it breaks. */
const INVALID: { why: string; change: Record<string, unknown> }[] = [
  {
    why: 'context without its required theme',
    change: { context: { type: 'document', spaceId: someSpace, editable: true } },
  },
  { why: 'context of no known type', change: { context: { type: 'nowhere', theme: 'light' } } },
  { why: 'props that are a number', change: { props: 5 } },
  { why: 'props that are a string', change: { props: 'initial=3' } },
  { why: 'props that are an array', change: { props: [1, 2] } },
  { why: 'state that is not an object', change: { state: 'counting' } },
  { why: 'an empty componentId', change: { componentId: '' } },
  { why: 'an integrationName that is no name', change: { integrationName: 'not a name!' } },
];

describe('invalid render requests', () => {
  it.each(INVALID)('integrationUI: $why is BAD_USER_INPUT with no REST call', async ({ change }) => {
    const { integrationName, componentId, props, context } = COMPONENTS[0]!;
    const response = await h.graphql(QUERY, { integrationName, componentId, props, context, ...change });
    expect(errorSummary(response)).toEqual([{ path: ['integrationUI'], code: 'BAD_USER_INPUT', status: undefined }]);
    expect(h.calls()).toEqual([]);
  });

  it.each(INVALID)('renderIntegrationUI: $why is BAD_USER_INPUT with no REST call', async ({ change }) => {
    const { integrationName, componentId, props, context } = COMPONENTS[0]!;
    const input = { integrationName, componentId, props, context, action: { action: 'kudos.add' }, ...change };
    const response = await h.graphql(MUTATION, { input });
    expect(response.data).toEqual({ renderIntegrationUI: null });
    expect(errorSummary(response)).toEqual([
      { path: ['renderIntegrationUI'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([]);
  });

  it('renderIntegrationUI: an action without its `action` name is BAD_USER_INPUT with no REST call', async () => {
    const { integrationName, componentId, props, context } = COMPONENTS[0]!;
    const response = await h.graphql(MUTATION, {
      input: { integrationName, componentId, props, context, action: { amount: 2 } },
    });
    expect(errorSummary(response)).toEqual([
      { path: ['renderIntegrationUI'], code: 'BAD_USER_INPUT', status: undefined },
    ]);
    expect(h.calls()).toEqual([]);
  });
});

describe('Mutation.renderIntegrationUI', () => {
  it('kudos: one POST …/render with the request as its body; the counter moves and the output is passed through', async () => {
    const { integrationName, componentId, props, context } = COMPONENTS[0]!;
    const request = { componentId, props, state: { count: 3 }, context, action: { action: 'kudos.add', amount: 2 } };
    const data = await h.data(MUTATION, { input: { integrationName, ...request } }, { token: TOKENS.frank });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${integrationName}/render`, {
        status: 200,
        body: request,
        token: TOKENS.frank,
      }),
    ]);
    const direct = await restWrite<ContentKitRenderOutput>(
      h,
      'POST',
      `/integrations/${integrationName}/render`,
      request,
      TOKENS.frank,
    );
    expect(direct.status).toBe(200);
    const output = data.renderIntegrationUI.output;
    expect(output).toEqual(expectedRenderOutput(direct.body));
    expect(output.state).toEqual({ count: 5 });

    // The next render sends the state back: the client drives the loop.
    h.resetCalls();
    const reset = await h.data(MUTATION, {
      input: {
        integrationName,
        componentId,
        props: output.props,
        state: output.state,
        context,
        action: { action: 'kudos.reset' },
      },
    });
    expect(h.calls()).toHaveLength(1);
    expect(h.calls()[0]!.body).toEqual({
      componentId,
      props: output.props,
      state: { count: 5 },
      context,
      action: { action: 'kudos.reset' },
    });
    expect(reset.renderIntegrationUI.output.state).toEqual({ count: 0 });
  });

  it('mermaid: a toggle action flips the editing state', async () => {
    const { integrationName, componentId, props, context } = COMPONENTS[1]!;
    const request = { componentId, props, state: { editing: false }, context, action: { action: 'mermaid.toggle' } };
    const data = await h.data(MUTATION, { input: { integrationName, ...request } });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${integrationName}/render`, { status: 200, body: request }),
    ]);
    const direct = await restWrite<ContentKitRenderOutput>(
      h,
      'POST',
      `/integrations/${integrationName}/render`,
      request,
    );
    expect(data.renderIntegrationUI.output).toEqual(expectedRenderOutput(direct.body));
    expect(data.renderIntegrationUI.output.state).toEqual({ editing: true });
  });

  it('github-files: a @link.unfurl action without state sends no state, and the unfurled URL becomes a prop', async () => {
    const { integrationName, componentId, context } = COMPONENTS[2]!;
    const url = 'https://github.com/octo/repo/blob/main/README.md';
    const request = { componentId, props: {}, context, action: { action: '@link.unfurl', url } };
    const data = await h.data(MUTATION, { input: { integrationName, ...request } });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${integrationName}/render`, { status: 200, body: request }),
    ]);
    const direct = await restWrite<ContentKitRenderOutput>(
      h,
      'POST',
      `/integrations/${integrationName}/render`,
      request,
    );
    expect(data.renderIntegrationUI.output).toEqual(expectedRenderOutput(direct.body));
    expect(data.renderIntegrationUI.output.props).toEqual({ url });
  });

  it('slack/configure: the `save` action completes: type COMPLETE with its returnValue and no element', async () => {
    const { integrationName, componentId, props, context } = COMPONENTS[3]!;
    const request = { componentId, props, state: { default_channel: '#docs' }, context, action: { action: 'save' } };
    const data = await h.data(MUTATION, { input: { integrationName, ...request } });
    expect(h.calls()).toEqual([
      expectedWrite('POST', `/integrations/${integrationName}/render`, { status: 200, body: request }),
    ]);
    const direct = await restWrite<ContentKitRenderOutput>(
      h,
      'POST',
      `/integrations/${integrationName}/render`,
      request,
    );
    expect(direct.body).toMatchObject({ type: 'complete' });
    expect(data.renderIntegrationUI.output).toEqual({
      type: 'COMPLETE',
      element: null,
      state: null,
      props: null,
      returnValue: (direct.body as { returnValue?: unknown }).returnValue,
      canAccessVisitorClaims: null,
    });
    expect(data.renderIntegrationUI.output.returnValue).toEqual({ default_channel: '#docs' });
  });

  it('an integration without UI is NOT_FOUND with status 404; the POST is sent once', async () => {
    const { componentId, props, context } = COMPONENTS[0]!;
    const request = { componentId, props, context, action: { action: 'kudos.add' } };
    const response = await h.graphql(MUTATION, { input: { integrationName: NO_UI, ...request } });
    expect(response.data).toEqual({ renderIntegrationUI: null });
    expect(errorSummary(response)).toEqual([{ path: ['renderIntegrationUI'], code: 'NOT_FOUND', status: 404 }]);
    expect(h.calls()).toEqual([expectedWrite('POST', `/integrations/${NO_UI}/render`, { status: 404, body: request })]);
  });

  it('renders in one document run in order, each with its own POST', async () => {
    const { integrationName, componentId, context } = COMPONENTS[0]!;
    const data = await h.data(
      `mutation ($context: JSON!) {
      one: renderIntegrationUI(input: {
        integrationName: "${integrationName}", componentId: "${componentId}", props: { initial: 1 }, context: $context, action: { action: "kudos.add" }
      }) { output { state } }
      two: renderIntegrationUI(input: {
        integrationName: "${integrationName}", componentId: "${componentId}", props: { initial: 1 }, context: $context, action: { action: "kudos.add" }
      }) { output { state } }
    }`,
      { context },
    );
    // Identical writes are never deduplicated: each is sent.
    expect(h.calls().map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST /integrations/${integrationName}/render`,
      `POST /integrations/${integrationName}/render`,
    ]);
    expect(data).toEqual({ one: { output: { state: { count: 2 } } }, two: { output: { state: { count: 2 } } } });
  });
});
