import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Hex digest of a file, streamed so that large archives need no memory. */
export async function hashFile(path: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hex digest of bytes in memory. */
export function hashBytes(bytes: Uint8Array, algorithm: 'md5' | 'sha256'): string {
  return createHash(algorithm).update(bytes).digest('hex');
}
