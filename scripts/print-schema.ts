/** Prints the schema built in code to schema.graphql, sorted, so schema changes show up in review as SDL diffs. */
import { writeFileSync } from 'node:fs';
import { printSchemaSdl } from '../src/schema/print.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printSchemaSdl());
