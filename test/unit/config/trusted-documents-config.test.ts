import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../../src/config/config.js';

const DOCUMENT = 'query One { __typename }';
const hash = (algorithm: string) => createHash(algorithm).update(DOCUMENT).digest('hex');

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'callq-trusted-config-')), 'persisted-documents.json');
  writeFileSync(path, content);
  return path;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe('TRUSTED_DOCUMENTS', () => {
  it('is off by default: any operation runs as text', () => {
    expect(loadConfig({}).http.trustedDocuments).toBeNull();
  });

  it("reads codegen's persisted-documents.json, in allow mode unless told otherwise", () => {
    const path = file(JSON.stringify({ [hash('sha256')]: DOCUMENT }));
    const allow = loadConfig({ TRUSTED_DOCUMENTS: path }).http.trustedDocuments;
    expect([allow?.mode, [...(allow?.documents ?? [])]]).toEqual(['allow', [[hash('sha256'), DOCUMENT]]]);
    const require = loadConfig({ TRUSTED_DOCUMENTS: path, TRUSTED_DOCUMENTS_MODE: 'require' });
    expect(require.http.trustedDocuments?.mode).toBe('require');
  });

  it("refuses codegen's default SHA-1 hashes, naming the option that fixes them", () => {
    const problems = problemsOf({ TRUSTED_DOCUMENTS: file(JSON.stringify({ [hash('sha1')]: DOCUMENT })) });
    expect(problems).toEqual([
      `TRUSTED_DOCUMENTS entry "${hash('sha1')}" is not a document under the SHA-256 hex of its text ` +
        "(codegen's client preset: persistedDocuments: { hashAlgorithm: 'sha256' })",
    ]);
  });

  it('names the variable for a missing, unreadable or empty list, and for require without a list', () => {
    expect(problemsOf({ TRUSTED_DOCUMENTS: '/nonexistent/persisted-documents.json' })).toEqual([
      'TRUSTED_DOCUMENTS could not be read (ENOENT): /nonexistent/persisted-documents.json',
    ]);
    expect(problemsOf({ TRUSTED_DOCUMENTS: file('[]') })).toEqual([
      'TRUSTED_DOCUMENTS must hold a JSON object of { "<sha256 hex>": "<document>" }',
    ]);
    const empty = file('{}');
    expect(problemsOf({ TRUSTED_DOCUMENTS: empty })).toEqual([
      `TRUSTED_DOCUMENTS lists no document: ${empty}`,
    ]);
    expect(problemsOf({ TRUSTED_DOCUMENTS_MODE: 'require' })).toEqual([
      'TRUSTED_DOCUMENTS_MODE=require needs TRUSTED_DOCUMENTS',
    ]);
    expect(problemsOf({ TRUSTED_DOCUMENTS_MODE: 'strict' })).toEqual([
      'TRUSTED_DOCUMENTS_MODE must be one of allow, require, got "strict"',
    ]);
  });
});
