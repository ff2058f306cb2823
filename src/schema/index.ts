import { specifiedDirectives } from 'graphql';
import { INCREMENTAL_DIRECTIVES } from '../incremental.js';
import { builder } from './builder.js';
// Each domain file adds its types, fields and mutations to the builder;
// later files extend types of earlier ones.
import './scalars.js';
import './node.js';
import './integration.js';
import './organization.js';
import './installation.js';
import './space-installation.js';
import './site-installation.js';
import './integration-event.js';
import './integration-ui.js';

import { tolerateUnknownEnumValues } from './unknown-values.js';

// `@defer` and `@stream` are declared here rather than added by Yoga's plugin
// when the gateway starts, so introspection, schema/schema.graphql and codegen know them.
export const schema = tolerateUnknownEnumValues(
  builder.toSchema({ sortSchema: false, directives: [...specifiedDirectives, ...INCREMENTAL_DIRECTIVES] }),
);
