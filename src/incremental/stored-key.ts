import { hash } from 'node:crypto';

/** A key as a store file keeps it: a digest, so the file holds no content and stays small. */
export function storedKey(key: string): string {
  return hash('sha1', key, 'base64');
}
