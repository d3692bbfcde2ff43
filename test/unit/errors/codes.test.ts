import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES, CLIENT_ERRORS } from '../../../src/errors/codes.js';

/** The rows of README's "Error codes" table, `| \`CODE\` | description |`, as [code, description]. */
function readmeRows(): [string, string][] {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^### Error codes$/m)[1]?.split(/^#/m)[0] ?? '';
  return [...section.matchAll(/^\| `(\w+)` +\| (.*?) +\|$/gm)].map(([, code = '', description = '']) => [
    code,
    description,
  ]);
}

describe('CLIENT_ERROR_CODES', () => {
  it("is README's list of error codes, in its order", () => {
    expect(readmeRows().map(([code]) => code)).toEqual(CLIENT_ERROR_CODES);
  });

  it('describes every code as README does', () => {
    expect(readmeRows()).toEqual(Object.entries(CLIENT_ERRORS));
  });

  it('holds upper-case codes, each with a one-line description', () => {
    for (const [code, description] of Object.entries(CLIENT_ERRORS)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(description).toMatch(/^[^\n|]{20,}$/);
    }
  });
});
