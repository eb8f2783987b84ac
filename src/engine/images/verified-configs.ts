/**
 * What dockerd learns about each image config once, when it loads its image
 * store at start-up: that the bytes hash to the image ID, and the ChainID of
 * the image's top layer. mydock has no daemon, so every command would hash
 * every config again (and load node:crypto, ~3 ms, for `images` alone); this
 * file keeps those facts between commands instead.
 *
 * An entry stands only while the config file is the very file that was
 * verified: same inode, size, modification and change times (in ns; a change
 * time cannot be set back by a user). Anything else is verified afresh. A
 * file changed moments ago is not remembered: file times advance in coarse
 * ticks, so a second write within the same tick could keep the identity. The
 * file is a cache: a missing, damaged or unwritable one only costs the hashing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../state/atomic.js';

interface Entry {
  /** The config file's identity when it was verified. */
  file: string;
  topLayer: string | null;
}

export interface VerifiedFacts {
  topLayer: string | null;
}

export const VERIFIED_CONFIGS_FORMAT = 'mydock-verified-image-configs/1';

/** inode:size:mtime:ctime, in ns: changes whenever the file's bytes can have changed. */
export function fileIdentity(st: fs.BigIntStats): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** How long after its last change a file's identity is trusted to stand for its content. */
export const SETTLED_AFTER_MS = 2000;

/** Whether a file last changed at `st.ctime` is old enough for its identity to be remembered. */
export function settled(st: fs.BigIntStats, nowMs = Date.now()): boolean {
  return nowMs - Number(st.ctimeNs / 1_000_000n) >= SETTLED_AFTER_MS;
}

export class VerifiedConfigs {
  private entries: Map<string, Entry> | null = null;

  constructor(readonly file: string) {}

  /** What was verified for `id`, if its config file is still the one that was verified. */
  lookup(id: string, identity: string): VerifiedFacts | null {
    const e = this.load().get(id);
    return e !== undefined && e.file === identity ? { topLayer: e.topLayer } : null;
  }

  /** Records a verified config; written at once (a later command may be the one that needs it). */
  remember(id: string, identity: string, facts: VerifiedFacts): void {
    const entries = this.load();
    const known = entries.get(id);
    if (known && known.file === identity && known.topLayer === facts.topLayer) return;
    entries.set(id, { file: identity, topLayer: facts.topLayer });
    this.save();
  }

  forget(id: string): void {
    if (this.load().delete(id)) this.save();
  }

  private load(): Map<string, Entry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    try {
      const doc = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { format?: unknown; configs?: unknown };
      if (doc.format === VERIFIED_CONFIGS_FORMAT && doc.configs !== null && typeof doc.configs === 'object') {
        for (const [id, e] of Object.entries(doc.configs as Record<string, Partial<Entry>>)) {
          if (typeof e?.file === 'string' && (typeof e.topLayer === 'string' || e.topLayer === null)) this.entries.set(id, { file: e.file, topLayer: e.topLayer });
        }
      }
    } catch {
      // Missing or damaged: everything is verified again, and the file rewritten.
    }
    return this.entries;
  }

  private save(): void {
    const configs = Object.fromEntries([...this.load()].sort(([a], [b]) => a.localeCompare(b)));
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // No lock: any complete copy is valid, since every entry is checked against its file when used.
      writeFileAtomic(this.file, `${JSON.stringify({ format: VERIFIED_CONFIGS_FORMAT, configs })}\n`, 0o600);
    } catch {
      // A read-only root: the facts are verified again next time.
    }
  }
}
