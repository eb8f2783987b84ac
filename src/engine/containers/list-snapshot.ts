/**
 * The container list snapshot (RootLayout.containerListFile): what listings
 * read of each container record (a ListedRecord), with the identity of the
 * config.v2.json it was read from. Docker's daemon keeps such a view of its
 * containers in memory; mydock has no daemon, and without it every `ps`
 * would read and parse every record (about a third of `ps -a` over a
 * thousand containers).
 *
 * Two ways a listing knows the snapshot is current:
 *
 * - The containers directory has the identity the snapshot recorded. Every
 *   change mydock makes to a container changes that directory: creating and
 *   removing one renames an entry in it, and ContainerStore touches it
 *   before and after each record write (`markContainersChanged`). Nothing
 *   else is stat'ed then; this is what keeps `ps` over a thousand
 *   containers from a thousand stats.
 * - Otherwise each config.v2.json is stat'ed and only the records that are
 *   new or whose identity (inode, size, mtime and ctime in ns) differs are
 *   read again; entries of containers that are gone are dropped. A record
 *   is stat'ed before it is read, so a record replaced in between is stored
 *   with the older identity and read again next time. When anything
 *   differed the snapshot is rewritten (temporary file and rename), without
 *   a lock: any complete copy is valid, since it is checked on every use.
 *
 * So, as with dockerd's view, a record edited by hand behind mydock's back
 * is not seen by listings until the containers directory changes (any
 * mydock command that changes a container, or a `touch` of the directory);
 * commands that name a container read its record itself. A snapshot that is
 * missing, damaged or of another format (list-snapshot-format.ts) is
 * rebuilt; one that cannot be written (a read-only root) is simply not kept.
 *
 * Racy entries: file times come from a coarse clock (one kernel tick), and
 * an atomic replacement may reuse the inode its predecessor freed, so a
 * file rewritten twice within one tick could show the identity of the
 * version read in between. A record, or the containers directory, changed
 * less than two seconds (state/file-identity.ts) before the listing began
 * is therefore not trusted by the next listing (git's "racily clean" index
 * entries).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, ListedRecord } from './types.js';
import { fileIdentity, sameIdentity, settled } from '../../state/file-identity.js';
import { decodeSnapshot, encodeSnapshot, type DecodedSnapshot, type SnapshotEntry } from './list-snapshot-format.js';
import { sortNewestFirst } from '../go-time-order.js';

export interface ListSource {
  /** The snapshot file. */
  file: string;
  /** The containers directory. */
  dir: string;
  /** The container IDs under `containers/`. */
  ids(): readonly string[];
  configFile(id: string): string;
  /** Reads a record (null when missing); throws as a lookup would on damage. */
  read(id: string): ContainerRecord | null;
}

/**
 * Marks the containers directory changed, so that no listing trusts a
 * snapshot taken before. Called before a record is replaced (a write cut
 * short still leaves the mark) and after it (a listing between the two may
 * have read the old record). Best effort: a root that cannot be written to
 * has no record being written either.
 */
export function markContainersChanged(dir: string): void {
  const now = new Date();
  try {
    fs.utimesSync(dir, now, now);
  } catch {
    // No directory yet (a first container is created by renaming into it, which marks it), or not writable.
  }
}

/** What listings keep of a record. */
export function listedRecord(r: ContainerRecord): ListedRecord {
  const s = r.State;
  const networks = r.NetworkSettings?.Networks;
  const names: Record<string, object> = {};
  if (networks !== null && typeof networks === 'object') for (const name of Object.keys(networks)) names[name] = {};
  return {
    ID: r.ID,
    Name: r.Name,
    Created: r.Created,
    Image: r.Image,
    Path: r.Path,
    Args: r.Args,
    State: {
      Running: s.Running,
      Paused: s.Paused,
      Restarting: s.Restarting,
      RemovalInProgress: s.RemovalInProgress,
      Dead: s.Dead,
      ExitCode: s.ExitCode,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
    },
    Config: { Image: r.Config.Image, Labels: r.Config.Labels, ExposedPorts: r.Config.ExposedPorts },
    NetworkSettings: { Networks: names },
    MountPoints: r.MountPoints,
    Mydock: { ProcessPid: r.Mydock.ProcessPid, ProcessStart: r.Mydock.ProcessStart, SizeRw: r.Mydock.SizeRw },
  };
}

/**
 * The records of the containers that exist, as listings see them, through
 * the snapshot, newest first (the daemon's order). `nowMs` is the clock
 * reading records are judged settled by.
 */
export function listRecords(source: ListSource, nowMs = Date.now()): ListedRecord[] {
  const dirStat = statOrUndefined(source.dir);
  if (dirStat === undefined) return [];
  const dir = fileIdentity(dirStat);
  const snapshot = load(source.file);
  // The snapshot keeps its records newest first.
  if (snapshot !== null && snapshot.dir !== null && sameIdentity(snapshot.dir, dir)) return snapshot.records;

  const known = new Map<string, SnapshotEntry>();
  if (snapshot !== null) for (const e of snapshot.entries()) known.set(e.record.ID, e);
  const out: ListedRecord[] = [];
  const kept: SnapshotEntry[] = [];
  let hits = 0;
  for (const id of source.ids()) {
    let st: fs.BigIntStats | undefined;
    try {
      st = statOrUndefined(source.configFile(id));
    } catch {
      // Not ENOENT (a permission problem, a file in place of the directory): the read says what.
      const record = source.read(id);
      if (record) out.push(listedRecord(record));
      continue;
    }
    // No record: a container being created or removed.
    if (st === undefined) continue;
    const identity = fileIdentity(st);
    const entry = known.get(id);
    if (entry !== undefined && sameIdentity(entry, identity)) {
      out.push(entry.record);
      kept.push(entry);
      hits++;
      continue;
    }
    const record = source.read(id);
    if (!record) continue;
    const listed = listedRecord(record);
    out.push(listed);
    // Entries are found by the record's ID: one that names another (damage `system check` reports) is read every time.
    if (settled(st, nowMs) && record.ID === id) kept.push({ ...identity, record: listed });
  }
  // The directory stands for the entries only when they are all there: it was stat'ed first, so any change since shows.
  const trusted = kept.length === out.length && settled(dirStat, nowMs) ? dir : null;
  const before = snapshot?.dir ?? null;
  const dirChanged = trusted === null ? before !== null : before === null || !sameIdentity(before, trusted);
  // Rewritten when an entry was added, one was not used (changed, or its container is gone), or the directory's mark changed.
  if (kept.length > hits || hits < known.size || dirChanged) save(source.file, encodeSnapshot(trusted, kept));
  return sortNewestFirst(out, (r) => r.Created);
}

function statOrUndefined(file: string): fs.BigIntStats | undefined {
  return fs.statSync(file, { bigint: true, throwIfNoEntry: false });
}

/** The snapshot in `file`; null when it is missing, damaged or not ours. */
function load(file: string): DecodedSnapshot | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  return decodeSnapshot(text);
}

/**
 * Replaces the snapshot. No fsync: after a crash a torn or empty file is
 * only a snapshot that fails to parse. The temporary name has the shape
 * state/atomic.ts gives, so `system check` knows a leftover for what it is;
 * its suffix need not be unpredictable (the file is created exclusively),
 * so node:crypto is not loaded for it.
 */
function save(file: string, text: string): void {
  const folder = path.dirname(file);
  const suffix = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  const tmp = path.join(folder, `.${path.basename(file)}.tmp-${process.pid}-${suffix}`);
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(tmp, text, { flag: 'wx', encoding: 'latin1' });
    fs.renameSync(tmp, file);
  } catch {
    // A cache: a root this process cannot write to lists as well without it.
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}
