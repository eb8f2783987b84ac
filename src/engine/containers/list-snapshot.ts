/**
 * The container list snapshot (RootLayout.containerListFile): what listings
 * read of each container record (a ListedRecord), with the identity of the
 * config.v2.json it was read from. Docker's daemon keeps such a view of its
 * containers in memory; mydock has no daemon, and without it every `ps`
 * would read and parse every record (about a third of `ps -a` over a
 * thousand containers).
 *
 * The records stay the truth. A listing reads the snapshot, lists
 * `containers/`, stats each config.v2.json and re-reads only the records
 * that are new or whose identity (inode, size, mtime and ctime in ns)
 * differs; entries of containers that are gone are dropped. A record is
 * stat'ed before it is read, so a record replaced in between is stored
 * with the older identity and read again next time. When anything differed
 * the snapshot is rewritten (temporary file and rename), without a lock:
 * any complete copy is valid, since every entry is checked on every use.
 * A snapshot that is missing, damaged or of another format is rebuilt; one
 * that cannot be written (a read-only root) is simply not kept.
 *
 * Racy entries: file times come from a coarse clock (one kernel tick), and
 * an atomic replacement may reuse the inode its predecessor freed, so a
 * record rewritten twice within one tick could show the identity of the
 * version read in between. A record changed less than two seconds (state/file-identity.ts) before the
 * listing began is therefore not kept in the snapshot, and the next listing
 * reads it again (git's "racily clean" index entries).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, ListedRecord } from './types.js';
import { fileIdentity, isFileIdentity, sameIdentity, settled, type FileIdentity } from '../../state/file-identity.js';

const FORMAT = 'mydock container list';
/** Raised whenever ListedRecord changes: a snapshot of another version is rebuilt, not misread. */
const VERSION = 1;
interface Entry extends FileIdentity {
  record: ListedRecord;
}

interface Snapshot {
  format: typeof FORMAT;
  version: typeof VERSION;
  entries: Entry[];
}

export interface ListSource {
  /** The snapshot file. */
  file: string;
  /** The container IDs under `containers/`. */
  ids: readonly string[];
  configFile(id: string): string;
  /** Reads a record (null when missing); throws as a lookup would on damage. */
  read(id: string): ContainerRecord | null;
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
 * The records of `source.ids` that exist, as listings see them, through the
 * snapshot. `nowMs` is the clock reading records are judged settled by.
 */
export function listRecords(source: ListSource, nowMs = Date.now()): ListedRecord[] {
  const known = load(source.file);
  const out: ListedRecord[] = [];
  const kept: Entry[] = [];
  let hits = 0;
  for (const id of source.ids) {
    let st: fs.BigIntStats | undefined;
    try {
      st = fs.statSync(source.configFile(id), { bigint: true, throwIfNoEntry: false });
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
  // Rewritten when an entry was added, or one was not used (changed, or its container is gone).
  if (kept.length > hits || hits < known.size) save(source.file, kept);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Enough to list without a TypeError; the identity check guards the rest. */
function isEntry(e: unknown): e is Entry {
  if (!isObject(e) || !isFileIdentity(e)) return false;
  const r = e.record;
  return (
    isObject(r) &&
    typeof r.ID === 'string' &&
    typeof r.Name === 'string' &&
    typeof r.Created === 'string' &&
    typeof r.Image === 'string' &&
    typeof r.Path === 'string' &&
    Array.isArray(r.Args) &&
    isObject(r.State) &&
    isObject(r.Config) &&
    isObject(r.NetworkSettings) &&
    isObject(r.MountPoints) &&
    isObject(r.Mydock)
  );
}

/** The snapshot's entries by container ID; none when it is missing, damaged or not ours. */
function load(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return entries;
  }
  if (!isObject(data) || data.format !== FORMAT || data.version !== VERSION || !Array.isArray(data.entries)) return entries;
  for (const e of data.entries as unknown[]) if (isEntry(e)) entries.set(e.record.ID, e);
  return entries;
}

/**
 * Replaces the snapshot. No fsync: after a crash a torn or empty file is
 * only a snapshot that fails to parse. The temporary name has the shape
 * state/atomic.ts gives, so `system check` knows a leftover for what it is;
 * its suffix need not be unpredictable (the file is created exclusively),
 * so node:crypto is not loaded for it.
 */
function save(file: string, entries: Entry[]): void {
  const dir = path.dirname(file);
  const suffix = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${suffix}`);
  const snapshot: Snapshot = { format: FORMAT, version: VERSION, entries };
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(snapshot), { flag: 'wx' });
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
