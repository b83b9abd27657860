// A vendor's orgs or tenants come into being on first use, seeded from the seed data. Which ones
// the store already holds is remembered here, so an ordinary request costs no write to find out.
export class FirstUse {
  private readonly known = new Set<string>();

  /** `seed` registers the id in the store and copies its seed data, if it was not registered yet. */
  constructor(private readonly seed: (id: string) => void, private readonly transaction: (fn: () => void) => void) {}

  ensure(id: string): void {
    if (this.known.has(id)) return;
    this.transaction(() => this.seed(id));
    this.known.add(id);
  }

  /** Forgets one id, or all: the next ensure() looks at the store again (after a reset or an import). */
  forget(id?: string): void {
    if (id === undefined) this.known.clear();
    else this.known.delete(id);
  }
}
