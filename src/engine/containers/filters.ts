/**
 * `ps --filter`: Docker's container filters. Values of one key are ORed,
 * different keys ANDed. `before`/`since` name a container; `ancestor` an
 * image (by reference or ID); `volume` a volume name or a mount destination.
 */
import { invalidFilter } from '../errors.js';
import { matchesLabel, parseFilterFlags } from '../filters.js';
import { compareTime } from '../go-time-order.js';
import type { ContainerService, ContainerView } from './service.js';
import { statusWord } from './state.js';

export type Filters = Map<string, string[]>;

const KEYS = new Set(['id', 'name', 'label', 'status', 'exited', 'ancestor', 'volume', 'before', 'since', 'health', 'network', 'publish', 'expose', 'is-task', 'isolation']);
const STATUSES = new Set(['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead']);

/** The CLI's --filter splitting (a value without "=" is a flag error), then the daemon's check of the names. */
export function parseFilters(specs: readonly string[]): Filters {
  const out: Filters = new Map(Object.entries(parseFilterFlags(specs)));
  for (const key of out.keys()) if (!KEYS.has(key)) throw invalidFilter(key);
  return out;
}

export async function matchFilters(views: ContainerView[], filters: Filters, svc: ContainerService): Promise<ContainerView[]> {
  if (filters.size === 0) return views;
  for (const s of filters.get('status') ?? []) {
    if (!STATUSES.has(s)) throw invalidFilter(`status=${s}`);
  }
  const exited = (filters.get('exited') ?? []).map((e) => {
    const n = Number(e);
    if (!Number.isInteger(n)) throw invalidFilter(`exited=${e}`);
    return n;
  });
  const createdOf = async (name: string): Promise<string> => (await svc.get(name)).record.Created;
  const before = filters.has('before') ? await createdOf(filters.get('before')![0]!) : null;
  const since = filters.has('since') ? await createdOf(filters.get('since')![0]!) : null;
  const images = await svc.imagePort();
  const ancestors = new Set<string>();
  for (const a of filters.get('ancestor') ?? []) {
    const img = images.resolve(a);
    if (img) ancestors.add(img.id);
  }
  return views.filter((v) => {
    const r = v.record;
    const any = (key: string, test: (value: string) => boolean): boolean => {
      const values = filters.get(key);
      return values === undefined || values.some(test);
    };
    if (!any('id', (x) => r.ID.startsWith(x))) return false;
    if (!any('name', (x) => new RegExp(x).test(r.Name.slice(1)) || new RegExp(x).test(r.Name))) return false;
    // Every label filter must match (labels are ANDed in Docker).
    if (!(filters.get('label') ?? []).every((x) => matchesLabel(r.Config.Labels, x))) return false;
    if (!any('status', (x) => statusWord(r) === x)) return false;
    if (exited.length > 0 && !(statusWord(r) === 'exited' && exited.includes(r.State.ExitCode))) return false;
    if (filters.has('ancestor') && !ancestors.has(r.Image)) return false;
    if (
      !any('volume', (x) => Object.values(r.MountPoints).some((m) => m.Name === x || m.Destination === x || m.Source === x))
    )
      return false;
    if (before !== null && !(compareTime(r.Created, before) < 0)) return false;
    if (since !== null && !(compareTime(r.Created, since) > 0)) return false;
    return true;
  });
}
