/**
 * The container list snapshot's file format (see list-snapshot.ts for what
 * it is and when it is trusted). Shaped for the one thing that must be
 * fast, reading it back in a process that lives for one `ps`:
 *
 * - one flat array per container, newest first (the order listings show);
 * - values containers mostly share (image, command, labels, networks,
 *   mounts) stored once in a `shared` table and named by index, so that a
 *   thousand containers of one command parse as one command;
 * - the file identities of the records, needed only when the snapshot must
 *   be checked record by record, kept as JSON text inside the JSON, parsed
 *   only then;
 * - ASCII (JSON escapes the rest), so it is read without UTF-8 decoding.
 *
 * Shared values are frozen: every listed record that names one holds the
 * same object.
 */
import type { FileIdentity } from '../../state/file-identity.js';
import { isFileIdentity } from '../../state/file-identity.js';
import { sortNewestFirst } from '../go-time-order.js';
import type { ListedRecord, MountPoint } from './types.js';

const FORMAT = 'mydock container list';
/** Raised whenever ListedRecord or the layout changes: a snapshot of another version is rebuilt, not misread. */
const VERSION = 3;

/** One container. Fields marked shared are indices into Snapshot.shared. */
type Row = [
  id: string,
  name: string,
  created: string,
  /** shared: the image ID */
  image: number,
  /** shared: [Path, Args] */
  command: number,
  /** STATE_FLAGS, one bit each */
  flags: number,
  exitCode: number,
  startedAt: string,
  finishedAt: string,
  /** shared: Config.Image */
  configImage: number,
  /** shared: Config.Labels */
  labels: number,
  /** shared: Config.ExposedPorts, or null */
  exposed: number,
  /** shared: the network names */
  networks: number,
  /** shared: MountPoints */
  mounts: number,
  processPid: number,
  processStart: string,
  sizeRw: number | null,
];

/** [ino, size, mtime, ctime] of the record a row was read from. */
type IdentityRow = [string, number, string, string];

interface Snapshot {
  format: typeof FORMAT;
  version: typeof VERSION;
  /** The containers directory's identity when it stands for every row (list-snapshot.ts); else null. */
  dir: FileIdentity | null;
  shared: unknown[];
  rows: Row[];
  /** JSON text of IdentityRow[], one per row. */
  identities: string;
}

export interface SnapshotEntry extends FileIdentity {
  record: ListedRecord;
}

export interface DecodedSnapshot {
  /** The directory identity, when the snapshot is whole (every row decoded). */
  dir: FileIdentity | null;
  /** The rows that decoded, newest first. */
  records: ListedRecord[];
  /** Each decoded record with the identity of the file it was read from; parsed on first call. */
  entries(): SnapshotEntry[];
}

const STATE_FLAGS = ['Running', 'Paused', 'Restarting', 'RemovalInProgress', 'Dead'] as const;

export function encodeSnapshot(dir: FileIdentity | null, entries: readonly SnapshotEntry[]): string {
  const shared: unknown[] = [];
  const indexOf = new Map<string, number>();
  const share = (value: unknown): number => {
    const key = JSON.stringify(value) ?? 'null';
    let i = indexOf.get(key);
    if (i === undefined) {
      i = shared.push(value ?? null) - 1;
      indexOf.set(key, i);
    }
    return i;
  };
  const rows: Row[] = [];
  const identities: IdentityRow[] = [];
  // Newest first, the order listings show: a listing the snapshot vouches for needs no sort.
  for (const e of sortNewestFirst(entries, (entry) => entry.record.Created)) {
    const r = e.record;
    let flags = 0;
    STATE_FLAGS.forEach((flag, bit) => {
      if (r.State[flag]) flags |= 1 << bit;
    });
    rows.push([
      r.ID,
      r.Name,
      r.Created,
      share(r.Image),
      share([r.Path, r.Args]),
      flags,
      r.State.ExitCode,
      r.State.StartedAt,
      r.State.FinishedAt,
      share(r.Config.Image),
      share(r.Config.Labels),
      share(r.Config.ExposedPorts ?? null),
      share(Object.keys(r.NetworkSettings.Networks ?? {})),
      share(r.MountPoints),
      r.Mydock.ProcessPid,
      r.Mydock.ProcessStart,
      r.Mydock.SizeRw,
    ]);
    identities.push([e.ino, e.size, e.mtime, e.ctime]);
  }
  const snapshot: Snapshot = { format: FORMAT, version: VERSION, dir, shared, rows, identities: JSON.stringify(identities) };
  return JSON.stringify(snapshot).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Record objects built once per shared value (per index and kind), checked
 * when built: null when of the wrong shape. The builders are module
 * functions, not closures made per call: a thousand rows made seven
 * thousand of them.
 */
class SharedValues {
  /** Per kind, the value built for each index (null: of the wrong shape), or undefined before its first use. */
  private readonly built: Record<Kind, unknown[]> = { string: [], command: [], object: [], networks: [], mounts: [] };
  /** Config objects by their three shared indices, and the Mydock fields of containers with no process by SizeRw: built once, frozen. */
  private readonly configs = new Map<number, ListedRecord['Config']>();
  private readonly idle = new Map<number | null, ListedRecord['Mydock']>();

  constructor(private readonly values: readonly unknown[]) {}

  /**
   * The Config of a row, by the row itself (whose shared indices 9, 10 and
   * 11 were checked and gave these values): one object per distinct triple.
   */
  config(
    row: readonly unknown[],
    image: string,
    labels: Record<string, string> | null,
    exposed: Record<string, Record<string, never>> | null,
  ): ListedRecord['Config'] {
    const n = this.values.length;
    const key = ((row[9] as number) * n + (row[10] as number)) * n + (row[11] as number);
    let config = this.configs.get(key);
    if (config === undefined) {
      config = Object.freeze(exposed === null ? { Image: image, Labels: labels } : { Image: image, Labels: labels, ExposedPorts: exposed });
      this.configs.set(key, config);
    }
    return config;
  }

  mydock(pid: number, start: string, sizeRw: number | null): ListedRecord['Mydock'] {
    if (pid !== 0 || start !== '') return { ProcessPid: pid, ProcessStart: start, SizeRw: sizeRw };
    let fields = this.idle.get(sizeRw);
    if (fields === undefined) this.idle.set(sizeRw, (fields = Object.freeze({ ProcessPid: 0, ProcessStart: '', SizeRw: sizeRw })));
    return fields;
  }

  get<K extends Kind>(kind: K, index: unknown): ReturnType<(typeof BUILDERS)[K]> {
    type T = ReturnType<(typeof BUILDERS)[K]>;
    if (typeof index !== 'number') return null as T;
    const cache = this.built[kind];
    const found = cache[index];
    if (found !== undefined) return found as T;
    if (!Number.isInteger(index) || index < 0 || index >= this.values.length) return null as T;
    const value = BUILDERS[kind](this.values[index]) as T;
    cache[index] = value;
    return value;
  }
}

const BUILDERS = {
  string: (v: unknown): string | null => (typeof v === 'string' ? v : null),
  command: (v: unknown): { path: string; args: string[] } | null =>
    Array.isArray(v) && typeof v[0] === 'string' && isStringArray(v[1]) ? { path: v[0], args: Object.freeze(v[1]) as string[] } : null,
  /** An object (frozen) or null, boxed; null when neither. */
  object: (v: unknown): { value: object | null } | null => (v === null ? { value: null } : isObject(v) ? { value: Object.freeze(v) } : null),
  networks: (v: unknown): ListedRecord['NetworkSettings'] | null => {
    if (!isStringArray(v)) return null;
    const Networks: Record<string, object> = {};
    for (const name of v) Networks[name] = Object.freeze({});
    return Object.freeze({ Networks: Object.freeze(Networks) });
  },
  mounts: (v: unknown): Record<string, MountPoint> | null => {
    if (!isObject(v) || !Object.values(v).every(isObject)) return null;
    for (const m of Object.values(v)) Object.freeze(m);
    return Object.freeze(v) as Record<string, MountPoint>;
  },
};

type Kind = keyof typeof BUILDERS;

/**
 * A row as a listed record, or null when it cannot be listed without a
 * TypeError. Indexed reads, not destructuring: this runs once per container
 * in a process that never lives long enough to optimise it, and the
 * interpreter's destructuring goes through the iterator protocol.
 */
function decodeRow(row: unknown, shared: SharedValues): ListedRecord | null {
  if (!Array.isArray(row) || row.length !== 17) return null;
  const id: unknown = row[0];
  const name: unknown = row[1];
  const created: unknown = row[2];
  const startedAt: unknown = row[7];
  const finishedAt: unknown = row[8];
  const processStart: unknown = row[15];
  if (typeof id !== 'string' || typeof name !== 'string' || typeof created !== 'string') return null;
  if (typeof startedAt !== 'string' || typeof finishedAt !== 'string' || typeof processStart !== 'string') return null;
  const image = shared.get('string', row[3]);
  const command = shared.get('command', row[4]);
  const configImage = shared.get('string', row[9]);
  const labels = shared.get('object', row[10]) as { value: Record<string, string> | null } | null;
  const exposed = shared.get('object', row[11]) as { value: Record<string, Record<string, never>> | null } | null;
  const networks = shared.get('networks', row[12]);
  const mounts = shared.get('mounts', row[13]);
  if (image === null || command === null || configImage === null || labels === null || exposed === null || networks === null || mounts === null) {
    return null;
  }
  const flags = row[5] as number;
  return {
    ID: id,
    Name: name,
    Created: created,
    Image: image,
    Path: command.path,
    Args: command.args,
    State: {
      Running: (flags & 1) !== 0,
      Paused: (flags & 2) !== 0,
      Restarting: (flags & 4) !== 0,
      RemovalInProgress: (flags & 8) !== 0,
      Dead: (flags & 16) !== 0,
      ExitCode: row[6] as number,
      StartedAt: startedAt,
      FinishedAt: finishedAt,
    },
    Config: shared.config(row, configImage, labels.value, exposed.value),
    NetworkSettings: networks,
    MountPoints: mounts,
    Mydock: shared.mydock(row[14] as number, processStart, row[16] as number | null),
  };
}

function isIdentityRow(v: unknown): v is IdentityRow {
  return Array.isArray(v) && v.length === 4 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'string' && typeof v[3] === 'string';
}

/** The snapshot in `text`; null when it is damaged or not of this format and version. */
export function decodeSnapshot(text: string): DecodedSnapshot | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || data.format !== FORMAT || data.version !== VERSION) return null;
  const { shared, rows, identities } = data;
  if (!Array.isArray(shared) || !Array.isArray(rows) || typeof identities !== 'string') return null;
  const values = new SharedValues(shared);
  const records: ListedRecord[] = [];
  // The row each record came from, to find its identity.
  const rowOf: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const record = decodeRow(rows[i], values);
    if (record === null) continue;
    records.push(record);
    rowOf.push(i);
  }
  const whole = records.length === rows.length;
  let entries: SnapshotEntry[] | undefined;
  return {
    dir: whole && isFileIdentity(data.dir) ? data.dir : null,
    records,
    entries() {
      if (entries !== undefined) return entries;
      entries = [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(identities);
      } catch {
        return entries;
      }
      if (!Array.isArray(parsed)) return entries;
      for (let i = 0; i < records.length; i++) {
        const identity: unknown = parsed[rowOf[i]!];
        if (isIdentityRow(identity)) entries.push({ ino: identity[0], size: identity[1], mtime: identity[2], ctime: identity[3], record: records[i]! });
      }
      return entries;
    },
  };
}
