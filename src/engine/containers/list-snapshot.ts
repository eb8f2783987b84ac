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
 * missing, damaged or of another format is rebuilt; one that cannot be
 * written (a read-only root) is simply not kept.
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
import type { ContainerRecord, ListedRecord, MountPoint } from './types.js';
import { fileIdentity, isFileIdentity, sameIdentity, settled, type FileIdentity } from '../../state/file-identity.js';
import { timeSortKey } from '../go-time-order.js';

const FORMAT = 'mydock container list';
/** Raised whenever ListedRecord or the entry layout changes: a snapshot of another version is rebuilt, not misread. */
const VERSION = 2;

/**
 * One container, as a flat array: a thousand objects with a dozen keys
 * each made the snapshot twice as long and its parse twice as slow.
 */
type EntryRow = [
  ino: string,
  size: number,
  mtime: string,
  ctime: string,
  id: string,
  name: string,
  created: string,
  /** Index into Snapshot.images: most containers share a few images. */
  image: number,
  path: string,
  args: string[],
  /** STATE_FLAGS, one bit each. */
  flags: number,
  exitCode: number,
  startedAt: string,
  finishedAt: string,
  configImage: string,
  labels: Record<string, string> | null,
  exposedPorts: Record<string, Record<string, never>> | null,
  networks: string[],
  mountPoints: Record<string, MountPoint>,
  processPid: number,
  processStart: string,
  sizeRw: number | null,
];

interface Entry extends FileIdentity {
  record: ListedRecord;
}

interface Snapshot {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** The containers directory's identity when every entry was current, settled; else null. */
  dir: FileIdentity | null;
  images: string[];
  entries: EntryRow[];
}

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
 * the snapshot. `nowMs` is the clock reading records are judged settled by.
 */
export function listRecords(source: ListSource, nowMs = Date.now()): ListedRecord[] {
  const dirStat = statOrUndefined(source.dir);
  if (dirStat === undefined) return [];
  const dir = fileIdentity(dirStat);
  const known = load(source.file);
  if (known.dir !== null && sameIdentity(known.dir, dir)) {
    const records: ListedRecord[] = [];
    known.entries.forEach((e) => records.push(e.record));
    return records;
  }

  const out: ListedRecord[] = [];
  const kept: Entry[] = [];
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
    const entry = known.entries.get(id);
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
  const dirChanged = trusted === null ? known.dir !== null : known.dir === null || !sameIdentity(known.dir, trusted);
  // Rewritten when an entry was added, one was not used (changed, or its container is gone), or the directory's mark changed.
  if (kept.length > hits || hits < known.entries.size || dirChanged) save(source.file, trusted, kept);
  return out;
}

function statOrUndefined(file: string): fs.BigIntStats | undefined {
  return fs.statSync(file, { bigint: true, throwIfNoEntry: false });
}

const STATE_FLAGS = ['Running', 'Paused', 'Restarting', 'RemovalInProgress', 'Dead'] as const;

function toRow(e: Entry, imageIndex: (id: string) => number): EntryRow {
  const r = e.record;
  let flags = 0;
  STATE_FLAGS.forEach((flag, bit) => {
    if (r.State[flag]) flags |= 1 << bit;
  });
  return [
    e.ino,
    e.size,
    e.mtime,
    e.ctime,
    r.ID,
    r.Name,
    r.Created,
    imageIndex(r.Image),
    r.Path,
    r.Args,
    flags,
    r.State.ExitCode,
    r.State.StartedAt,
    r.State.FinishedAt,
    r.Config.Image,
    r.Config.Labels,
    r.Config.ExposedPorts ?? null,
    Object.keys(r.NetworkSettings.Networks ?? {}),
    r.MountPoints,
    r.Mydock.ProcessPid,
    r.Mydock.ProcessStart,
    r.Mydock.SizeRw,
  ];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Enough to list without a TypeError: the fields listings call methods on
 * or iterate are of their type (the identity checks guard the rest).
 * Written out test by test: a loop over a table of types cost a millisecond
 * over a thousand rows in the interpreter.
 */
function isRow(row: unknown, images: readonly unknown[]): row is EntryRow {
  if (!Array.isArray(row) || row.length !== 22) return false;
  const str = (i: number): boolean => typeof row[i] === 'string';
  const obj = (i: number): boolean => typeof row[i] === 'object';
  return (
    str(0) && str(2) && str(3) && str(4) && str(5) && str(6) && typeof images[row[7] as number] === 'string' && str(8) &&
    Array.isArray(row[9]) && str(12) && str(13) && str(14) && obj(15) && obj(16) && Array.isArray(row[17]) &&
    obj(18) && row[18] !== null && str(20)
  );
}

/**
 * Indexed reads, not destructuring: this runs once per container in a
 * process that never lives long enough to optimise it, and the
 * interpreter's array destructuring goes through the iterator protocol.
 */
function fromRow(row: EntryRow, images: readonly string[]): Entry {
  const flags = row[10];
  const networks = row[17];
  const Networks: Record<string, object> = {};
  for (let i = 0; i < networks.length; i++) Networks[networks[i]!] = {};
  const exposed = row[16];
  const record: ListedRecord = {
    ID: row[4],
    Name: row[5],
    Created: row[6],
    Image: images[row[7]]!,
    Path: row[8],
    Args: row[9],
    State: {
      Running: (flags & 1) !== 0,
      Paused: (flags & 2) !== 0,
      Restarting: (flags & 4) !== 0,
      RemovalInProgress: (flags & 8) !== 0,
      Dead: (flags & 16) !== 0,
      ExitCode: row[11],
      StartedAt: row[12],
      FinishedAt: row[13],
    },
    Config: exposed === null ? { Image: row[14], Labels: row[15] } : { Image: row[14], Labels: row[15], ExposedPorts: exposed },
    NetworkSettings: { Networks },
    MountPoints: row[18],
    Mydock: { ProcessPid: row[19], ProcessStart: row[20], SizeRw: row[21] },
  };
  return { ino: row[0], size: row[1], mtime: row[2], ctime: row[3], record };
}

interface Loaded {
  dir: FileIdentity | null;
  entries: Map<string, Entry>;
}

/** The snapshot's entries by container ID; none when it is missing, damaged or not ours. */
function load(file: string): Loaded {
  const loaded: Loaded = { dir: null, entries: new Map() };
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'latin1'));
  } catch {
    return loaded;
  }
  if (!isObject(data) || data.format !== FORMAT || data.version !== VERSION || !Array.isArray(data.entries) || !Array.isArray(data.images)) {
    return loaded;
  }
  const images = data.images as unknown[];
  let complete = true;
  const rows = data.entries as unknown[];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!isRow(row, images)) {
      complete = false;
      continue;
    }
    const entry = fromRow(row, images as string[]);
    loaded.entries.set(entry.record.ID, entry);
  }
  // A snapshot missing an entry stands for the directory no more.
  if (complete && isFileIdentity(data.dir)) loaded.dir = data.dir;
  return loaded;
}

/**
 * Replaces the snapshot. No fsync: after a crash a torn or empty file is
 * only a snapshot that fails to parse. Written as ASCII (JSON escapes the
 * rest), so that it is read back without UTF-8 decoding. The temporary name
 * has the shape state/atomic.ts gives, so `system check` knows a leftover
 * for what it is; its suffix need not be unpredictable (the file is created
 * exclusively), so node:crypto is not loaded for it.
 */
function save(file: string, dir: FileIdentity | null, entries: Entry[]): void {
  const folder = path.dirname(file);
  const suffix = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  const tmp = path.join(folder, `.${path.basename(file)}.tmp-${process.pid}-${suffix}`);
  const images: string[] = [];
  const indexOf = new Map<string, number>();
  const imageIndex = (id: string): number => {
    let i = indexOf.get(id);
    if (i === undefined) {
      i = images.push(id) - 1;
      indexOf.set(id, i);
    }
    return i;
  };
  // Newest first, the order listings show: sorting them again is then one pass.
  const ordered = entries.map((e) => ({ key: timeSortKey(e.record.Created), e }));
  ordered.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const rows = ordered.map(({ e }) => toRow(e, imageIndex));
  const snapshot: Snapshot = { format: FORMAT, version: VERSION, dir, images, entries: rows };
  const text = JSON.stringify(snapshot).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
