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

export const schema = tolerateUnknownEnumValues(builder.toSchema({ sortSchema: false }));
