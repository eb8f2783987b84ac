/**
 * What dockerd learns about each image config once, when it loads its image
 * store at start-up: that the bytes hash to the image ID, and the ChainID of
 * the image's top layer. mydock has no daemon, so every command would hash
 * every config again (and load node:crypto, ~3 ms, for `images` alone); this
 * file keeps those facts between commands instead.
 *
 * An entry stands only while the config file is the very file that was
 * verified, by the rule of state/file-identity.ts (same inode, size and
 * times; not remembered until the file has settled). Anything else is
 * verified afresh. The file is a cache: a missing, damaged or unwritable one
 * only costs the hashing.
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../../state/atomic.js';
import { isFileIdentity, sameIdentity, type FileIdentity } from '../../state/file-identity.js';

interface Entry {
  /** The config file's identity when it was verified. */
  file: FileIdentity;
  topLayer: string | null;
}

export interface VerifiedFacts {
  topLayer: string | null;
}

const FORMAT = 'mydock-verified-image-configs/2';

export class VerifiedConfigs {
  private entries: Map<string, Entry> | null = null;
  /** Inside `batch`: changes wait to be written once, at its end. */
  private batching = false;
  private unsaved = false;

  constructor(readonly file: string) {}

  /** What was verified for `id`, if its config file is still the one that was verified. */
  lookup(id: string, identity: FileIdentity): VerifiedFacts | null {
    const e = this.load().get(id);
    return e !== undefined && sameIdentity(e.file, identity) ? { topLayer: e.topLayer } : null;
  }

  /** Records a verified config; written at once (a later command may be the one that needs it). */
  remember(id: string, identity: FileIdentity, facts: VerifiedFacts): void {
    const entries = this.load();
    const known = entries.get(id);
    if (known && sameIdentity(known.file, identity) && known.topLayer === facts.topLayer) return;
    entries.set(id, { file: identity, topLayer: facts.topLayer });
    this.save();
  }

  /** Runs `fn`, writing what it remembers or forgets once, at the end (a listing verifies every image). */
  batch<T>(fn: () => T): T {
    if (this.batching) return fn();
    this.batching = true;
    try {
      return fn();
    } finally {
      this.batching = false;
      if (this.unsaved) this.save();
    }
  }

  forget(id: string): void {
    if (this.load().delete(id)) this.save();
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const doc = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { format?: unknown; configs?: unknown };
      if (doc.format === FORMAT && doc.configs !== null && typeof doc.configs === 'object') {
        for (const [id, e] of Object.entries(doc.configs as Record<string, Partial<Entry>>)) {
          if (isFileIdentity(e?.file) && (typeof e.topLayer === 'string' || e.topLayer === null)) this.entries.set(id, { file: e.file, topLayer: e.topLayer });
        }
      }
    } catch {
      // Missing or damaged: everything is verified again, and the file rewritten.
    }
    return this.entries;
  }

  private save(): void {
    if (this.batching) {
      this.unsaved = true;
      return;
    }
    this.unsaved = false;
    const configs = Object.fromEntries([...this.load()].sort(([a], [b]) => a.localeCompare(b)));
    try {
      // No lock: any complete copy is valid, since every entry is checked against its file when used.
      writeFileAtomic(this.file, `${JSON.stringify({ format: FORMAT, configs })}\n`, 0o600);
    } catch {
      // A read-only root: the facts are verified again next time.
    }
  }
}
