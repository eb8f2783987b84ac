/**
 * Container names: Docker's validity rule and a generator of
 * `adjective_surname` names for containers created without `--name`.
 * The word lists are mydock's own (scientists and engineers, like Docker's).
 */
import { randomBytes, randomInt } from 'node:crypto';

/** moby's RestrictedNamePattern: `^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`. */
export const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function isValidName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** The stored form of a name: "/name". */
export function storedName(name: string): string {
  return name.startsWith('/') ? name : `/${name}`;
}

const ADJECTIVES = [
  'agile', 'amber', 'ardent', 'bold', 'brave', 'bright', 'calm', 'candid', 'clever', 'cosmic',
  'crisp', 'curious', 'daring', 'deft', 'eager', 'earnest', 'elated', 'fervent', 'fond', 'frosty',
  'gentle', 'gifted', 'glad', 'golden', 'hardy', 'humble', 'jolly', 'keen', 'kind', 'lively',
  'lucid', 'mellow', 'merry', 'modest', 'nimble', 'noble', 'patient', 'plucky', 'polite', 'proud',
  'quiet', 'radiant', 'rapid', 'serene', 'sharp', 'shiny', 'silent', 'snappy', 'steady', 'sunny',
  'swift', 'tender', 'tidy', 'upbeat', 'vivid', 'warm', 'wise', 'witty', 'zealous', 'zesty',
];

const SURNAMES = [
  'agnesi', 'babbage', 'banach', 'bohr', 'boole', 'cantor', 'cerf', 'curie', 'darwin', 'dijkstra',
  'euclid', 'euler', 'faraday', 'fermat', 'feynman', 'franklin', 'galois', 'gauss', 'germain', 'goodall',
  'hamilton', 'hawking', 'hilbert', 'hopper', 'hypatia', 'jemison', 'johnson', 'kepler', 'knuth', 'kowalevski',
  'lamport', 'leakey', 'liskov', 'lovelace', 'maxwell', 'meitner', 'mendel', 'mirzakhani', 'newton', 'noether',
  'pascal', 'pasteur', 'planck', 'poincare', 'ramanujan', 'ritchie', 'sammet', 'shannon', 'somerville', 'tesla',
  'thompson', 'torvalds', 'turing', 'volta', 'wiles', 'wing', 'wright', 'yalow', 'yonath', 'zuse',
];

/** A random `adjective_surname`; after a few clashes a digit is appended, as Docker does. */
export function generateName(taken: (name: string) => boolean): string {
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
    const candidate = attempt < 3 ? name : `${name}${randomInt(10)}`;
    if (!taken(candidate)) return candidate;
  }
  return `container_${randomBytes(6).toString('hex')}`;
}

/** A new container ID: 64 hex digits that do not read as a number (Docker rejects all-digit short IDs). */
export function generateId(exists: (id: string) => boolean): string {
  for (;;) {
    const id = randomBytes(32).toString('hex');
    if (/^\d+$/.test(id.slice(0, 12))) continue;
    if (!exists(id)) return id;
  }
}
