/**
 * Dependency resolution shared by apk and apt-get: which packages to install,
 * dependencies before their dependents (the order both tools print), and
 * which names nothing provides.
 */
import { depName, providerOf, type PackageIndex, type PackageSpec } from './spec.js';

export interface Missing {
  /** The name as asked for or as written in a dependency. */
  name: string;
  /** "world" for a name on the command line, else the package that needs it. */
  requiredBy: PackageSpec | null;
}

export interface Plan {
  /** Packages to install, dependencies first. */
  install: PackageSpec[];
  missing: Missing[];
}

/**
 * Plans installing `names`. `satisfied(dep)` says whether the system already
 * has what a dependency string names (an installed package, something it
 * provides, a file like "/bin/sh").
 */
export function planInstall(index: PackageIndex, names: readonly string[], satisfied: (dep: string) => boolean, available: (p: PackageSpec) => boolean = () => true): Plan {
  const install: PackageSpec[] = [];
  const missing: Missing[] = [];
  const planned = new Set<string>();
  const visiting = new Set<string>();
  const find = (dep: string): PackageSpec | undefined => {
    const p = providerOf(index, dep);
    return p && available(p) ? p : undefined;
  };
  const visit = (p: PackageSpec): void => {
    if (planned.has(p.name) || visiting.has(p.name)) return;
    visiting.add(p.name);
    for (const dep of p.depends) {
      if (satisfied(dep) || isPlanned(dep)) continue;
      const q = find(dep);
      if (!q || q.base) {
        if (!q) missing.push({ name: depName(dep), requiredBy: p });
        continue;
      }
      visit(q);
    }
    visiting.delete(p.name);
    planned.add(p.name);
    install.push(p);
  };
  const isPlanned = (dep: string): boolean => {
    const q = providerOf(index, dep);
    return q !== undefined && planned.has(q.name);
  };
  for (const name of names) {
    const p = find(name);
    if (!p) {
      missing.push({ name, requiredBy: null });
      continue;
    }
    if (satisfied(name) || p.base) continue;
    visit(p);
  }
  return { install, missing };
}

/**
 * Packages that removing `removed` from the explicitly wanted set leaves
 * unneeded: not wanted, and not a dependency of anything still wanted.
 * Dependents come before their dependencies (the order they are purged in).
 */
export function planRemoval(index: PackageIndex, installed: readonly string[], wanted: readonly string[]): string[] {
  const keep = new Set<string>();
  const mark = (name: string): void => {
    if (keep.has(name)) return;
    keep.add(name);
    const p = providerOf(index, name);
    if (!p) return;
    for (const dep of p.depends) {
      const q = providerOf(index, dep);
      if (q) mark(q.name);
    }
  };
  for (const w of wanted) mark(w);
  const gone = installed.filter((n) => !keep.has(n) && !providerOf(index, n)?.base && providerOf(index, n) !== undefined);
  // Dependents first: a package goes before anything it depends on.
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const other of gone) {
      const p = providerOf(index, other);
      if (p && p.depends.some((d) => providerOf(index, d)?.name === name)) visit(other);
    }
    order.push(name);
  };
  for (const n of [...gone].reverse()) visit(n);
  return order;
}
