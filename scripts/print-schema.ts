import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/schema/print.js';

// `npm run schema`: the reviewed copy of the API. A test fails when it is stale.
const target = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));
writeFileSync(target, printedSchema());
console.log(`wrote ${target}`);
