import type { Db } from './db';

/** Runs a function in a transaction (inside another one, a savepoint) and returns what it returns. */
export type TransactionRunner = <T>(fn: () => T) => T;

const runners = new WeakMap<Db, TransactionRunner>();

/**
 * The one way anything runs SQL in a transaction: the database's runner, made once per database and shared
 * by every store and the platform. better-sqlite3 builds four wrapper functions every time db.transaction()
 * is called, a measurable share of a write's cost.
 */
export function transactionRunner(db: Db): TransactionRunner {
  let runner = runners.get(db);
  if (runner === undefined) {
    const run = db.transaction((fn: () => unknown) => fn());
    runner = <T>(fn: () => T): T => run(fn) as T;
    runners.set(db, runner);
  }
  return runner;
}
