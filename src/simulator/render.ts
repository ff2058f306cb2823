/**
 * ContentKit rendering for renderIntegrationUIWithGet/Post. A real integration renders in its
 * own worker; here a few seeded integrations have hand-written components whose output depends
 * on props, state and the action (so clients can exercise the whole loop), and every other block,
 * content source or configuration component gets a generic placeholder element. An integration
 * without any UI, or an unknown componentId, is a 404.
 */
import type {
  ContentKitAction,
  ContentKitBlock,
  ContentKitConfiguration,
  ContentKitDescendantElement,
  ContentKitRenderOutput,
  RenderIntegrationUI,
} from '@gitbook/api';
import { ContentKitIcon } from '@gitbook/api';
import { notFound } from './errors.js';
import type { IntegrationRecord } from './model.js';

type Props = Record<string, unknown>;
type State = Record<string, unknown>;

interface ComponentInput {
  record: IntegrationRecord;
  props: Props;
  state: State;
  action: ContentKitAction | undefined;
}

type Component = (input: ComponentInput) => ContentKitRenderOutput;

const element = (
  root: ContentKitBlock | ContentKitConfiguration,
  state: State,
  props: Props,
): ContentKitRenderOutput => ({
  type: 'element',
  element: root,
  state,
  props,
});

/** kudos: a counter readers increment with a button; the count lives in the component's state. */
const kudosCounter: Component = ({ props, state, action }) => {
  const initial = typeof props.initial === 'number' ? props.initial : 0;
  let count = typeof state.count === 'number' ? state.count : initial;
  if (action?.action === 'kudos.add') count += typeof action.amount === 'number' ? action.amount : 1;
  if (action?.action === 'kudos.reset') count = 0;
  const message =
    typeof props.message === 'string' ? props.message : 'Did this page help you? Send kudos to the authors.';
  return element(
    {
      type: 'block',
      children: [
        {
          type: 'hstack',
          align: 'center',
          children: [
            { type: 'text', style: 'bold', children: `${count} ${count === 1 ? 'kudo' : 'kudos'}` },
            {
              type: 'button',
              label: 'Send kudos',
              style: 'primary',
              icon: ContentKitIcon.Star,
              onPress: { action: 'kudos.add' },
            },
            {
              type: 'button',
              label: 'Reset',
              style: 'secondary',
              disabled: count === 0,
              onPress: { action: 'kudos.reset' },
              confirm: {
                title: 'Reset kudos?',
                text: 'The counter goes back to zero.',
                confirm: 'Reset',
                style: 'danger',
              },
            },
          ],
        },
        { type: 'markdown', content: message },
      ],
    },
    { count },
    props,
  );
};

/** mermaid: a preview of the diagram, or its source while editing (toggled by an action). */
const mermaidDiagram: Component = ({ props, state, action }) => {
  let content =
    typeof props.content === 'string' ? props.content : 'graph TD\n  A[Write docs] --> B[Publish]\n  B --> C[Readers]';
  let editing = state.editing === true;
  if (action?.action === 'mermaid.toggle') editing = !editing;
  if (action?.action === '@editor.node.updateProps' && typeof action.props?.content === 'string') {
    content = action.props.content;
    editing = false;
  }
  const nextProps = { ...props, content };
  const body: ContentKitDescendantElement = editing
    ? { type: 'codeblock', content, syntax: 'mermaid', lineNumbers: true, state: 'content' }
    : {
        type: 'webframe',
        aspectRatio: 16 / 9,
        source: {
          url: `https://integrations.gitbook.com/v1/integrations/mermaid/embed?content=${encodeURIComponent(content)}`,
        },
      };
  return element(
    {
      type: 'block',
      controls: [
        {
          label: editing ? 'Show diagram' : 'Edit diagram',
          icon: ContentKitIcon.Edit,
          onPress: { action: 'mermaid.toggle' },
        },
      ],
      children: [body],
    },
    { editing },
    nextProps,
  );
};

/** github-files: a card for an unfurled GitHub file URL, with its (simulated) lines. */
const githubCodeBlock: Component = ({ props, action }) => {
  let url = typeof props.url === 'string' ? props.url : undefined;
  if (action?.action === '@link.unfurl' && typeof action.url === 'string') url = action.url;
  const nextProps = url ? { ...props, url } : props;
  if (!url) {
    return element(
      { type: 'block', children: [{ type: 'markdown', content: 'Paste the URL of a file on GitHub to embed it.' }] },
      {},
      nextProps,
    );
  }
  const file = url.split('/').pop()?.split('#')[0] ?? 'file';
  const extension = file.includes('.') ? file.split('.').pop() : undefined;
  return element(
    {
      type: 'block',
      children: [
        {
          type: 'card',
          title: file,
          hint: url.replace(/^https:\/\/github\.com\//, '').split('/blob/')[0] ?? url,
          icon: ContentKitIcon.Github,
          buttons: [
            {
              type: 'button',
              icon: ContentKitIcon.LinkExternal,
              tooltip: 'Open on GitHub',
              onPress: { action: '@ui.url.open', url },
            },
          ],
          children: [
            {
              type: 'codeblock',
              content: `// ${file}\n// Embedded from ${url}\nexport function hello() {\n  return 'world';\n}\n`,
              ...(extension ? { syntax: extension } : {}),
              lineNumbers: true,
            },
          ],
        },
      ],
    },
    {},
    nextProps,
  );
};

/** slack: the account configuration screen; the `save` action completes the flow. */
const slackConfigure: Component = ({ props, state, action }) => {
  const channel =
    typeof state.default_channel === 'string'
      ? state.default_channel
      : typeof props.default_channel === 'string'
        ? props.default_channel
        : '';
  if (action?.action === 'save') return { type: 'complete', returnValue: { default_channel: channel } };
  return element(
    {
      type: 'configuration',
      children: [
        { type: 'markdown', content: 'Choose the channel GitBook posts to when a space has none.' },
        {
          type: 'input',
          label: 'Default channel',
          element: { type: 'textinput', state: 'default_channel', initialValue: channel, placeholder: '#docs' },
        },
        { type: 'button', label: 'Save', style: 'primary', onPress: { action: 'save' } },
      ],
    },
    { default_channel: channel },
    props,
  );
};

const COMPONENTS: Record<string, Record<string, Component>> = {
  kudos: { 'kudos-counter': kudosCounter },
  mermaid: { mermaid: mermaidDiagram },
  'github-files': { 'github-code-block': githubCodeBlock },
  slack: { configure: slackConfigure },
};

/** The placeholder for components without a hand-written renderer. */
function genericComponent(record: IntegrationRecord, componentId: string): Component | undefined {
  const { blocks = [], contentSources = [], configurations = {} } = record.integration;
  const block = blocks.find((b) => b.id === componentId);
  if (block) {
    return ({ props }) =>
      element(
        {
          type: 'block',
          children: [
            {
              type: 'card',
              title: block.title,
              ...(block.description ? { hint: block.description } : {}),
              children: [
                {
                  type: 'markdown',
                  content:
                    typeof props.url === 'string'
                      ? `[${props.url}](${props.url})`
                      : `_${record.integration.title}: nothing to show yet._`,
                },
              ],
            },
          ],
        },
        {},
        props,
      );
  }
  const configurable =
    contentSources.some((source) => source.configuration.componentId === componentId) ||
    Object.values(configurations).some(
      (config) => config && 'componentId' in config && config.componentId === componentId,
    );
  if (!configurable) return undefined;
  return ({ props }) =>
    element(
      {
        type: 'configuration',
        children: [{ type: 'markdown', content: `Configure ${record.integration.title}.` }],
      },
      {},
      props,
    );
}

export function render(record: IntegrationRecord, request: RenderIntegrationUI): ContentKitRenderOutput {
  const name = record.integration.name;
  // Own properties only: a componentId such as "constructor" names no component.
  const components = Object.hasOwn(COMPONENTS, name) ? COMPONENTS[name] : undefined;
  const component =
    (components && Object.hasOwn(components, request.componentId) ? components[request.componentId] : undefined) ??
    genericComponent(record, request.componentId);
  if (!component) {
    const hasUi =
      (record.integration.blocks?.length ?? 0) > 0 ||
      (record.integration.contentSources?.length ?? 0) > 0 ||
      components !== undefined;
    throw notFound(
      hasUi
        ? `Integration "${name}" has no UI component "${request.componentId}"`
        : `Integration "${name}" does not render any UI`,
    );
  }
  return component({
    record,
    props: (request.props ?? {}) as Props,
    state: (request.state ?? {}) as State,
    action: request.action,
  });
}
