/**
 * The trusted-documents part of the configuration: the allow-list of operations, by hash, that graphql-codegen's
 * client preset writes with `persistedDocuments` (`persisted-documents.json`: `{ "<hash>": "<document>" }`), and
 * whether other operations still run. Read by config.ts, with the same reader and rules.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EnvReader } from './env-reader.js';

/** `allow`: listed documents may be sent by hash, any other operation still runs; `require`: only listed ones. */
export const TRUSTED_DOCUMENTS_MODES = ['allow', 'require'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

export interface TrustedDocumentsConfig {
  readonly mode: TrustedDocumentsMode;
  /** Document text by the lowercase hex SHA-256 of that text, as clients send it in `sha256Hash`. */
  readonly documents: ReadonlyMap<string, string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Null when TRUSTED_DOCUMENTS is unset: every operation runs, as sent. */
export function readTrustedDocuments(read: EnvReader): TrustedDocumentsConfig | null {
  const file = read.optional('TRUSTED_DOCUMENTS');
  const mode = read.oneOf('TRUSTED_DOCUMENTS_MODE', TRUSTED_DOCUMENTS_MODES, 'allow');
  if (file === undefined) {
    // Requiring a list that is not there would refuse everything; that is a mistake, not a policy.
    if (mode === 'require') read.problems.push('TRUSTED_DOCUMENTS_MODE=require needs TRUSTED_DOCUMENTS');
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not JSON';
    read.problems.push(`TRUSTED_DOCUMENTS could not be read (${reason}): ${file}`);
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    read.problems.push('TRUSTED_DOCUMENTS must hold a JSON object of { "<sha256 hex>": "<document>" }');
    return null;
  }
  if (Object.keys(parsed).length === 0) read.problems.push(`TRUSTED_DOCUMENTS lists no document: ${file}`);
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    // Checked rather than trusted: codegen hashes with SHA-1 unless told `hashAlgorithm: 'sha256'`, and a list
    // of such hashes would match no client's sha256Hash, refusing every request in require mode.
    if (
      typeof document !== 'string' ||
      !SHA256_HEX.test(hash) ||
      createHash('sha256').update(document).digest('hex') !== hash
    ) {
      read.problems.push(
        `TRUSTED_DOCUMENTS entry "${hash.slice(0, 64)}" is not a document under the SHA-256 hex of its text ` +
          "(codegen's client preset: persistedDocuments: { hashAlgorithm: 'sha256' })",
      );
      continue;
    }
    documents.set(hash, document);
  }
  return { mode, documents };
}
