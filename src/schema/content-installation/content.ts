import type { Site, Space } from '@gitbook/api';
import type { Context } from '../../context.js';
import { contentId } from '../../upstream/content-installations.js';
import { builder } from '../builder.js';
import { FROM_KEY } from '../fan-out.js';
import { Known, type KnownType, restProperty } from '../node.js';
import { componentSchema } from '../spec.js';
import { specFields, specPropertyType } from '../spec-types.js';
import type { ContentInstallationItem, ContentInstallationKind } from './kind.js';

/**
 * The space or site an installation is on, known by the installation's key.
 * REST gives only its id unless asked for `extended=true`: its fields read
 * the extended object, which a list brings when the query selects them (the
 * lookahead asks for it) and which is loaded otherwise.
 */
export function defineContent(kind: ContentInstallationKind) {
  const lower = kind.content.toLowerCase();
  const type: KnownType<Space | Site> = {
    name: kind.content,
    load: ([integrationName = '', installationId = '', id = ''], context: Context) =>
      kind.upstream
        .get(context.rest, integrationName, installationId, id, true)
        .then((item) => kind.contentOf(item) as Space | Site),
  };

  const ContentUrls = specPropertyType(`${kind.content}Urls`, kind.content, 'urls');
  const ContentRef = builder.objectRef<Known<Space | Site>>(kind.content);
  ContentRef.implement({
    description:
      `The ${lower} an integration is installed on. Fields other than \`id\` come from the REST ` +
      `\`extended=true\` form, which is asked for only when they are selected.`,
    fields: (t) => ({
      id: t.id({
        description: `Unique identifier of the ${lower}.`,
        extensions: FROM_KEY,
        resolve: (source) => source.key[2] ?? '',
      }),
      ...specFields(t, kind.content, componentSchema(kind.content), kind.contentProperties, {
        types: { urls: ContentUrls },
        descriptions: kind.contentDescriptions,
        fetched: true,
        read: restProperty,
      }),
    }),
  });

  /** The content of an installation: its id always, the object when the answer had it. */
  const contentOfInstallation = (key: readonly string[], item: ContentInstallationItem) => {
    const content = kind.contentOf(item);
    return new Known(
      type,
      [key[0] ?? '', key[1] ?? '', contentId(content)],
      typeof content === 'string' ? undefined : content,
    );
  };

  return { ContentRef, contentOfInstallation };
}
