// State documents, `{"<vendor>": {"<collection>": {"<org or tenant id>": {...}}}}`: GET /__admin/state
// exports one (secrets redacted), POST /__admin/state imports one, and --seed loads one at start and again at
// every reset. Each vendor's part is read, checked and written by its model. Export then import is the
// identity: each vendor's model replaces its secrets with "[redacted]" and keeps what is stored for them on
// import; credential-shaped values anywhere else are redacted here and put back here from what is held.
import type { ValidateFunction } from 'ajv';
import type { BuiltVendor } from './context';
import { InvalidInput, Problem, problemFromError } from '../platform/errors';
import { readJsonFile } from '../platform/json-scan';
import { REDACTED, type Redaction } from '../platform/redaction';
import { ref } from '../platform/schemas';
import { SeedDataError } from '../platform/seed-data';
import type { ImportMode, Scope } from '../platform/vendor';
import type { Db } from '../store/db';
import { transactionRunner, type TransactionRunner } from '../store/transaction';
import type { ControlSchemas } from './schemas';

/** Per vendor, its collection ("orgs", "tenants") mapping ids to that org's or tenant's state. */
export type StateDocument = Record<string, Record<string, Record<string, unknown>>>;

export interface ImportSummary {
  mode: ImportMode;
  /** Per vendor and collection, the ids written. */
  imported: Record<string, Record<string, string[]>>;
}

export class StateDocuments {
  /** Compiled on first use: most servers never import a state document, and start-up time counts. */
  private validate?: ValidateFunction;
  private seed: StateDocument | undefined;
  private readonly transaction: TransactionRunner;

  constructor(db: Db, private readonly vendors: readonly BuiltVendor[], private readonly redaction: Redaction, private readonly schemas: ControlSchemas) {
    this.transaction = transactionRunner(db);
  }

  /**
   * Everything, or one org or tenant, as JSON text in slices: secrets redacted where each vendor keeps them
   * (its model's export), and every other value that is a credential by what it is; free-form data is shown
   * as the vendors' GETs show it. Each vendor's part is read now, in one synchronous read (a snapshot); it is
   * redacted and written as the slices are taken, so no copy of the whole is made.
   */
  export(scope?: Scope): Generator<string, void, undefined> {
    const doc: StateDocument = {};
    for (const { contract, runtime } of this.vendors) {
      if (scope === undefined || scope.vendor === contract.name) doc[contract.name] = { [contract.scope.collection]: runtime.state.export(scope?.id) };
    }
    return this.redaction.redactedValuesJson(doc);
  }

  /**
   * Checks the whole document first (schema, then each vendor's rules), then writes it in one transaction.
   * A "[redacted]" stands for what is held at its place (restoreValues; in a vendor's secrets, its model's rule).
   */
  import(doc: unknown, mode: ImportMode): ImportSummary {
    const checked = this.check(doc, (valid) => this.restoreRedacted(valid));
    this.write(checked, mode);
    const imported: ImportSummary['imported'] = {};
    for (const [vendor, states] of this.sections(checked)) imported[vendor.contract.name] = { [vendor.contract.scope.collection]: Object.keys(states) };
    return { mode, imported };
  }

  /** Reads, checks and imports a state document file (--seed); every reset imports it again. */
  loadSeed(file: string): void {
    let doc: unknown;
    try {
      doc = readJsonFile(file);
      this.seed = this.check(doc);
    } catch (err) {
      const reason = err instanceof Problem && err.details.length > 0 ? err.details.join('; ') : (err as Error).message;
      throw new SeedDataError(`cannot load the seed state ${file}: ${reason}`);
    }
    this.write(this.seed, 'replace');
  }

  /** After a reset: the seed state document again, all of it or the reset org's or tenant's part. */
  applySeed(scope?: Scope): void {
    if (this.seed === undefined) return;
    if (scope === undefined) return this.write(this.seed, 'replace');
    const vendor = this.vendors.find((v) => v.contract.name === scope.vendor);
    if (!vendor) return;
    const collection = vendor.contract.scope.collection;
    const own = this.seed[scope.vendor]?.[collection]?.[scope.id];
    if (own !== undefined) this.write({ [scope.vendor]: { [collection]: { [scope.id]: own } } }, 'replace');
  }

  /**
   * The schema, then `prepare` (an import puts back what "[redacted]" stands for: two names the export hid
   * may be two different names), then each vendor's rules.
   */
  private check(doc: unknown, prepare = (valid: StateDocument) => valid): StateDocument {
    // Read closed: a state document is syncmock's own format, whose every field the schemas list (parts
    // shared with request bodies may allow more there).
    this.validate ??= this.schemas.shared().closed().validator(ref('control/state.json'));
    if (!this.validate(doc)) throw problemFromError({ validation: this.validate.errors, validationContext: 'state document', message: 'invalid' });
    const checked = prepare(doc as StateDocument);
    const problems = this.sections(checked).flatMap(([vendor, states]) =>
      vendor.runtime.state.check(states, `${vendor.contract.name}.${vendor.contract.scope.collection}`));
    if (problems.length > 0) throw new InvalidInput(problems[0], problems);
    return checked;
  }

  private write(doc: StateDocument, mode: ImportMode): void {
    this.transaction(() => {
      for (const [vendor, states] of this.sections(doc)) vendor.runtime.state.import(states, mode);
    });
  }

  /** A copy of the document with each "[redacted]" value put back from the org's or tenant's state as held. */
  private restoreRedacted(doc: StateDocument): StateDocument {
    const restored: StateDocument = { ...doc };
    for (const [vendor, states] of this.sections(doc)) {
      const { name, scope } = vendor.contract;
      const out: Record<string, unknown> = {};
      for (const [id, state] of Object.entries(states)) {
        // Most documents hold none, and then what is held is not read at all.
        out[id] = JSON.stringify(state).includes(JSON.stringify(REDACTED))
          ? this.redaction.restoreValues(state, vendor.runtime.state.export(id)[id])
          : state;
      }
      restored[name] = { ...doc[name], [scope.collection]: out as Record<string, Record<string, unknown>> };
    }
    return restored;
  }

  /** The vendors a document has a part for, with that part's orgs or tenants. */
  private sections(doc: StateDocument): Array<[BuiltVendor, Record<string, unknown>]> {
    return this.vendors.flatMap((vendor): Array<[BuiltVendor, Record<string, unknown>]> => {
      const section = doc[vendor.contract.name];
      return section ? [[vendor, section[vendor.contract.scope.collection]]] : [];
    });
  }
}
