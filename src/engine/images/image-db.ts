/**
 * The image database on disk, as Docker's `image/fs.go` lays it out:
 *
 *   imagedb/content/sha256/<hex>                 the config bytes (ID = sha256 of them)
 *   imagedb/metadata/sha256/<hex>/parent         "sha256:<parent id>" (built images only)
 *   imagedb/metadata/sha256/<hex>/lastUpdated    when a tag last pointed here (LastTagTime)
 *
 * Content is verified on read: a file whose bytes no longer hash to its name
 * is reported, never trusted (unless this very file was verified before, see
 * verified-configs.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../state/atomic.js';
import { digestHex, sha256Digest } from '../reference/digest.js';
import { fileIdentity, settled, type FileIdentity } from '../../state/file-identity.js';
import type { VerifiedConfigs, VerifiedFacts } from './verified-configs.js';

const HEX64 = /^[a-f0-9]{64}$/;

export class ImageDb {
  readonly contentDir: string;
  readonly metadataDir: string;

  /** `imageDir` is `<root>/image/<driver>`. */
  constructor(
    readonly imageDir: string,
    private readonly verified: VerifiedConfigs | null = null,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.contentDir = path.join(imageDir, 'imagedb', 'content', 'sha256');
    this.metadataDir = path.join(imageDir, 'imagedb', 'metadata', 'sha256');
  }

  /** Every stored image ID ("sha256:…"), sorted. */
  ids(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.contentDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => HEX64.test(n)).sort().map((n) => `sha256:${n}`);
  }

  has(id: string): boolean {
    return fs.existsSync(path.join(this.contentDir, digestHex(id)));
  }

  /**
   * The config bytes, verified, with the facts remembered from an earlier
   * verification of this same file (null when it was hashed just now: the
   * caller then calls `remember`). `identity` is null for a file changed too
   * recently to be remembered.
   */
  readVerified(id: string): { bytes: Buffer; identity: FileIdentity | null; facts: VerifiedFacts | null } | null {
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.contentDir, digestHex(id)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let bytes: Buffer;
    let identity: FileIdentity | null;
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      identity = settled(st, this.nowMs()) ? fileIdentity(st) : null;
      bytes = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const facts = identity === null ? null : (this.verified?.lookup(id, identity) ?? null);
    if (facts === null && sha256Digest(bytes) !== `sha256:${digestHex(id)}`) {
      throw new Error(`failed to verify: image config ${id} does not match its content`);
    }
    return { bytes, identity, facts };
  }

  /** Runs `fn`, writing what it teaches the verified-configs cache once, at the end. */
  batch<T>(fn: () => T): T {
    return this.verified ? this.verified.batch(fn) : fn();
  }

  /** Keeps what was learnt from verifying a config, for later commands. */
  remember(id: string, identity: FileIdentity, facts: VerifiedFacts): void {
    this.verified?.remember(id, identity, facts);
  }

  /** Stores config bytes; returns the ID. Idempotent. */
  write(bytes: Uint8Array): string {
    const id = sha256Digest(bytes);
    const file = path.join(this.contentDir, digestHex(id));
    if (!fs.existsSync(file)) writeFileAtomic(file, bytes, 0o600);
    return id;
  }

  /** Deletes the config and its metadata. */
  delete(id: string): void {
    this.verified?.forget(id);
    fs.rmSync(path.join(this.contentDir, digestHex(id)), { force: true });
    fs.rmSync(path.join(this.metadataDir, digestHex(id)), { recursive: true, force: true });
  }

  getMetadata(id: string, key: 'parent' | 'lastUpdated'): string | null {
    try {
      const text = fs.readFileSync(path.join(this.metadataDir, digestHex(id), key), 'utf8');
      return text === '' ? null : text;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  setMetadata(id: string, key: 'parent' | 'lastUpdated', value: string): void {
    writeFileAtomic(path.join(this.metadataDir, digestHex(id), key), value, 0o600);
  }

  deleteMetadata(id: string, key: 'parent' | 'lastUpdated'): void {
    fs.rmSync(path.join(this.metadataDir, digestHex(id), key), { force: true });
  }
}
