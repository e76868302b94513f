import { createHash } from 'node:crypto';

/** A key as a store file keeps it: a digest, so the file holds no content and stays small. */
export function storedKey(key: string): string {
  return createHash('sha1').update(key).digest('base64');
}
