/**
 * Build arguments as the classic builder scopes them: `--build-arg` values,
 * ARG declarations (before FROM: usable in FROM lines only; in a stage:
 * from the declaration on), the predefined proxy ARGs (usable without a
 * declaration, never written to the history), and the warning about
 * arguments nothing consumed.
 */
export const BUILTIN_ARGS = new Set([
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
]);

export class BuildArgs {
  /** Names used by a declaration anywhere, for the "not consumed" warning. */
  private readonly referenced = new Set<string>();
  private readonly meta = new Map<string, string | null>();
  private allowed = new Map<string, string | null>();

  constructor(private readonly given: ReadonlyMap<string, string | null>) {}

  /** An ARG before the first FROM. */
  declareMeta(name: string, defaultValue: string | null): void {
    this.referenced.add(name);
    this.meta.set(name, defaultValue);
  }

  /** Values visible in FROM lines. */
  metaEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const [k, def] of this.meta) {
      const v = this.given.has(k) ? this.given.get(k)! : def;
      if (v !== null) env.set(k, v);
    }
    return env;
  }

  /** A new stage sees no earlier ARG declarations. */
  resetStage(): void {
    this.allowed = new Map();
  }

  /** An ARG in a stage; a meta ARG's value is inherited when the declaration has no default. */
  declare(name: string, defaultValue: string | null): void {
    this.referenced.add(name);
    const inherited = defaultValue === null && this.meta.has(name) ? this.meta.get(name)! : defaultValue;
    this.allowed.set(name, inherited);
  }

  private value(name: string): string | null {
    if (this.given.has(name)) return this.given.get(name) ?? null;
    return this.allowed.get(name) ?? null;
  }

  /** FilterAllowed: "K=V" for every declared (or given builtin) argument with a value that ENV does not set. */
  inEffect(env: readonly string[]): string[] {
    const set = new Set(env.map((e) => e.split('=')[0]!));
    const out: string[] = [];
    const seen = new Set<string>();
    for (const name of this.allowed.keys()) {
      const v = this.value(name);
      if (v === null || set.has(name)) continue;
      out.push(`${name}=${v}`);
      seen.add(name);
    }
    for (const [name, v] of this.given) {
      if (!BUILTIN_ARGS.has(name) || seen.has(name) || v === null || set.has(name)) continue;
      out.push(`${name}=${v}`);
    }
    return out;
  }

  /** IsReferencedOrNotBuiltin: proxy args stay out of the history unless declared. */
  recordable(name: string): boolean {
    return this.referenced.has(name) || !BUILTIN_ARGS.has(name);
  }

  /** `--build-arg`s no ARG declared (builtins excepted), sorted. */
  unconsumed(): string[] {
    return [...this.given.keys()].filter((k) => !this.referenced.has(k) && !BUILTIN_ARGS.has(k)).sort();
  }
}
