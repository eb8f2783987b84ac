/** Reading JSON records: a missing file is `null`; a damaged one names the file and what to do. */
import fs from 'node:fs';
import { damagedFile, rootWriteFailed } from './errors.js';

export function readJsonFile<T>(file: string): T | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A root owned by another user: say which file and what to do.
    throw rootWriteFailed(file, err, 'open') ?? err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw damagedFile(file, (err as Error).message);
  }
}

/** Reads a small text record (a layerdb `diff` or `cache-id` file), trimmed; null when missing. */
export function readTextFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
