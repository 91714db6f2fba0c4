import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printComposedSchema, schemaFile } from './print-schema';

writeFileSync(schemaFile, await printComposedSchema());
console.log(`wrote ${fileURLToPath(schemaFile)}`);
