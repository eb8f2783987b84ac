/**
 * Tags and digests that name images: `<root>/image/<driver>/repositories.json`,
 * written as Docker's reference store writes it:
 *
 *   {"Repositories":{"alpine":{"alpine:latest":"sha256:…","alpine@sha256:…":"sha256:…"}}}
 *
 * Keys are familiar names (FamiliarName / FamiliarString); Go writes map keys
 * sorted. A reference is either tagged ("alpine:latest") or canonical
 * ("alpine@sha256:<manifest digest>", a RepoDigest).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../state/atomic.js';
import { ambiguousTagName } from '../errors.js';
import {
  familiarName,
  familiarString,
  favorDigest,
  fullString,
  parseNormalizedNamed,
  tagNameOnly,
  type NamedReference,
} from '../reference/reference.js';
import { GoMap, marshalGo, type GoValue } from './gojson.js';

type Repositories = Record<string, Record<string, string>>;

export interface Association {
  ref: NamedReference;
  /** Image ID. */
  id: string;
}

export class ReferenceStore {
  readonly file: string;

  constructor(imageDir: string) {
    this.file = path.join(imageDir, 'repositories.json');
  }

  private load(): Repositories {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    const parsed = JSON.parse(text) as { Repositories?: Repositories | null };
    return parsed.Repositories ?? {};
  }

  private save(repos: Repositories): void {
    const value = new GoMap<GoValue>(
      Object.fromEntries(Object.entries(repos).map(([name, refs]) => [name, new GoMap<GoValue>(refs)])),
    );
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, marshalGo({ Repositories: value }), 0o600);
  }

  /** Every association, sorted by the references' full strings (Docker's lexical order). */
  all(): Association[] {
    const out: Association[] = [];
    for (const refs of Object.values(this.load())) {
      for (const [refStr, id] of Object.entries(refs)) {
        try {
          out.push({ ref: parseNormalizedNamed(refStr, 'daemon'), id });
        } catch {
          // A hand-edited entry that no longer parses is skipped, as Docker does.
        }
      }
    }
    return out.sort((a, b) => compare(fullString(a.ref), fullString(b.ref)));
  }

  /** The references to an image, in Docker's order. */
  references(id: string): NamedReference[] {
    return this.all()
      .filter((a) => a.id === id)
      .map((a) => a.ref);
  }

  /** The image a reference names (a bare name means ":latest"), or null. */
  get(ref: NamedReference): string | null {
    const key = storedForm(ref);
    return this.load()[familiarName(key)]?.[familiarString(key)] ?? null;
  }

  /** Points a tag or digest reference at an image, replacing what it named before. */
  add(ref: NamedReference, id: string): void {
    const key = storedForm(ref);
    const name = familiarName(key);
    if (name === 'sha256') throw ambiguousTagName();
    const repos = this.load();
    const repo = (repos[name] ??= {});
    repo[familiarString(key)] = id;
    this.save(repos);
  }

  /** Removes a reference; returns whether it existed. */
  delete(ref: NamedReference): boolean {
    const key = storedForm(ref);
    const name = familiarName(key);
    const repos = this.load();
    const repo = repos[name];
    const refStr = familiarString(key);
    if (!repo || !(refStr in repo)) return false;
    delete repo[refStr];
    if (Object.keys(repo).length === 0) delete repos[name];
    this.save(repos);
    return true;
  }
}

/** How a reference is keyed: tag+digest keeps the digest only; a bare name is ":latest". */
function storedForm(ref: NamedReference): NamedReference {
  return tagNameOnly(favorDigest(ref));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isTagged(ref: NamedReference): boolean {
  return ref.tag !== null;
}

export function isCanonical(ref: NamedReference): boolean {
  return ref.digest !== null;
}
