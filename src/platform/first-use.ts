// A vendor's orgs or tenants come into being on their first write, seeded from the seed data: a read never
// writes, so a refused or read-only request leaves every table as it was. Which ones the store holds is
// remembered here, so an ordinary request costs no query to find out.
export class FirstUse {
  private readonly known = new Set<string>();

  /**
   * `seed` registers the id in the store and copies its seed data, if it was not registered yet;
   * `registered` asks the store whether it is.
   */
  constructor(
    private readonly seed: (id: string) => void,
    private readonly transaction: (fn: () => void) => void,
    private readonly registered: (id: string) => boolean,
  ) {}

  /** Registers (and seeds) the id, for a write. */
  ensure(id: string): void {
    if (this.known.has(id)) return;
    this.transaction(() => this.seed(id));
    this.known.add(id);
  }

  /** Registers (and seeds) each id not known yet, all in one transaction; none, no transaction. */
  ensureAll(ids: readonly string[]): void {
    const unknown = ids.filter((id) => !this.known.has(id));
    if (unknown.length === 0) return;
    this.transaction(() => {
      for (const id of unknown) this.seed(id);
    });
    for (const id of unknown) this.known.add(id);
  }

  /** Whether the store holds the id, without registering it. */
  has(id: string): boolean {
    if (this.known.has(id)) return true;
    if (!this.registered(id)) return false;
    this.known.add(id);
    return true;
  }

  /** Forgets one id, or all: the next ensure() or has() looks at the store again (after a reset or an import). */
  forget(id?: string): void {
    if (id === undefined) this.known.clear();
    else this.known.delete(id);
  }
}
