import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { printSchemaSdl } from '../../../src/schema/print.js';

it('schema.graphql is the schema printed from the code (run `npm run schema` after changing it)', () => {
  const committed = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');
  expect(committed).toBe(printSchemaSdl());
});
