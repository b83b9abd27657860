// A vendor's orgs or tenants come into being on their first write, seeded from the seed data: a read never
// writes, so a refused or read-only request leaves every table as it was. Which ones the store holds, and
// which it does not, is remembered here, so an ordinary request costs no query to find out: a read of an id
// that never wrote (a fresh open-mode client reading the seed) asks the store once.
import { LruMap } from 'toad-cache';

/**
 * Ids remembered at most. The store is the state and keeps every org or tenant; this is a cache over it,
 * so the least recently used id is forgotten beyond it (its next request asks the store again), and an id in
 * use is not.
 */
export const SCOPE_REGISTRY_SIZE = 10_000;

/** The registry of a vendor's known orgs or tenants: which the store holds, each registered (and seeded) on its first write. */
export class ScopeRegistry {
  /** true: the store holds it; false: it does not (every registration goes through here, or forgets). */
  private readonly known = new LruMap<boolean>(SCOPE_REGISTRY_SIZE);

  /**
   * `seed` registers the id in the store and copies its seed data, if it was not registered yet;
   * `registered` asks the store whether it is.
   */
  constructor(
    private readonly seed: (id: string) => void,
    private readonly transaction: (fn: () => void) => void,
    private readonly registered: (id: string) => boolean,
  ) {}

  /** How many ids are remembered (the bounded-state tests read it). */
  get size(): number {
    return this.known.size;
  }

  /** Registers (and seeds) the id, for a write. */
  ensure(id: string): void {
    if (this.known.get(id)) return;
    this.transaction(() => this.seed(id));
    this.known.set(id, true);
  }

  /** Registers (and seeds) each id not known yet, all in one transaction; none, no transaction. */
  ensureAll(ids: readonly string[]): void {
    const unknown = ids.filter((id) => !this.known.get(id));
    if (unknown.length === 0) return;
    this.transaction(() => {
      for (const id of unknown) this.seed(id);
    });
    for (const id of unknown) this.known.set(id, true);
  }

  /** Whether the store holds the id, without registering it. */
  has(id: string): boolean {
    const known = this.known.get(id);
    if (known !== undefined) return known;
    const registered = this.registered(id);
    this.known.set(id, registered);
    return registered;
  }

  /** Forgets one id, or all: the next ensure() or has() looks at the store again (after a reset or an import). */
  forget(id?: string): void {
    if (id === undefined) this.known.clear();
    else this.known.delete(id);
  }
}
