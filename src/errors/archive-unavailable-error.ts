/** A recording asked of a gateway without a working archive: nothing could keep it. */
export class ArchiveUnavailableError extends Error {
  override readonly name = 'ArchiveUnavailableError';
  readonly code = 'ARCHIVE_UNAVAILABLE';

  constructor() {
    super('recording needs the archive, which is off (ARCHIVE_URL) or whose database is down: retry later');
  }
}
