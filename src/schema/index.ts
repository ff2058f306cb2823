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

export const schema = builder.toSchema({ sortSchema: false });
