/**
 * A regular expression built on first use. V8 parses a `\p{...}` class
 * when the literal is evaluated, which costs a few tenths of a millisecond
 * at module load of every command, while most output never meets a
 * character outside ASCII.
 */
export class LazyRegExp {
  private compiled: RegExp | undefined;

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

  test(text: string): boolean {
    return (this.compiled ??= new RegExp(this.source, this.flags)).test(text);
  }
}
