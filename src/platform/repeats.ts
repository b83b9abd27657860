// Values that must be given once within a document (ids, keys): the second of any is reported, naming
// both places.
/** Remembers values by kind and reports the second of any. */
export class Repeats {
  private readonly seen = new Map<string, string>();

  constructor(private readonly problems: string[]) {}

  /** `show`: whether the value may be named in the problem (a credential is not). */
  check(kind: string, value: string, at: string, show = true): void {
    const key = `${kind}\u0000${value}`;
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, at);
    else this.problems.push(`Field '${at}' repeats ${kind}${show ? ` (${value})` : ''} already given at '${first}'`);
  }
}
