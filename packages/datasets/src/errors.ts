/**
 * A dataset file is not in the format it claims to be (bad magic number, wrong
 * dimensions, truncated records, label out of range…). `file` names the culprit. A retry
 * cannot fix this: the file must be replaced.
 */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * A file's checksum (or size) differs from the published one. The file has already been
 * deleted when this comes out of `ensureDataset`, so the cache never holds it.
 */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
  constructor(
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
    readonly algorithm: 'md5' | 'sha256' | 'size',
  ) {
    super(`${file}: ${algorithm} mismatch, expected ${expected}, got ${actual}`);
  }
}

/**
 * Fetching a dataset file failed. `retryable` is true for network errors and HTTP 5xx/429,
 * false for answers a retry will not change (404, 403…).
 */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly retryable: boolean,
  ) {
    super(`download of ${url} failed: ${reason}`);
  }
}
