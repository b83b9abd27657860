// State documents, `{"datadog": {"orgs": {"<org id>": {...}}}, "sailpoint": {"tenants": {...}}}`: GET
// /__admin/state exports one (secrets redacted), POST /__admin/state imports one, and --seed loads one at
// start and again at every reset. Each vendor's part is read and written by its VendorControl.
import fs from 'node:fs';
import { InvalidInput, Problem, problemFromError } from '../platform/errors';
import { redact } from '../platform/redaction';
import type { ValidateFunction } from 'ajv';
import { validator } from '../platform/schemas';
import { SeedDataError } from '../platform/seed-data';
import { SCOPE_COLLECTIONS, type ImportMode, type Scope, type Vendor, type VendorControl, type VendorState } from '../platform/vendors';
import type { Db } from '../store/db';

/** Per vendor, its collection ("orgs", "tenants") mapping ids to that org's or tenant's state. */
export type StateDocument = Partial<Record<Vendor, Record<string, Record<string, unknown>>>>;

export interface ImportSummary {
  mode: ImportMode;
  /** Per vendor and collection, the ids written. */
  imported: Partial<Record<Vendor, Record<string, string[]>>>;
}

export type VendorControls = Partial<Record<Vendor, VendorControl>>;

export class StateDocuments {
  /** Compiled on first use: most servers never import a state document, and start-up time counts. */
  private validate?: ValidateFunction;
  private seed: StateDocument | undefined;

  constructor(private readonly db: Db, private readonly vendors: VendorControls) {}

  /** Everything, or one org or tenant; secrets redacted. */
  export(scope?: Scope): StateDocument {
    const doc: StateDocument = {};
    for (const [vendor, state] of this.states()) {
      if (scope === undefined || scope.vendor === vendor) doc[vendor] = { [SCOPE_COLLECTIONS[vendor]]: state.export(scope?.id) };
    }
    return redact(doc);
  }

  /** Checks the whole document first (schema, then each vendor's rules), then writes it in one transaction. */
  import(doc: unknown, mode: ImportMode): ImportSummary {
    const checked = this.check(doc);
    this.write(checked, mode);
    const imported: ImportSummary['imported'] = {};
    for (const [vendor, states] of this.sections(checked)) imported[vendor] = { [SCOPE_COLLECTIONS[vendor]]: Object.keys(states) };
    return { mode, imported };
  }

  /** Reads, checks and imports a state document file (--seed); every reset imports it again. */
  loadSeed(file: string): void {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
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
    const own = this.seed[scope.vendor]?.[SCOPE_COLLECTIONS[scope.vendor]]?.[scope.id];
    if (own !== undefined) this.write({ [scope.vendor]: { [SCOPE_COLLECTIONS[scope.vendor]]: { [scope.id]: own } } }, 'replace');
  }

  private check(doc: unknown): StateDocument {
    this.validate ??= validator('control/state.json');
    if (!this.validate(doc)) throw problemFromError({ validation: this.validate.errors, validationContext: 'state document', message: 'invalid' });
    const checked = doc as StateDocument;
    const problems = this.sections(checked).flatMap(([vendor, states]) =>
      this.vendors[vendor]?.state?.check(states, `${vendor}.${SCOPE_COLLECTIONS[vendor]}`) ?? []);
    if (problems.length > 0) throw new InvalidInput(problems[0], problems);
    return checked;
  }

  private write(doc: StateDocument, mode: ImportMode): void {
    this.db.transaction(() => {
      for (const [vendor, states] of this.sections(doc)) this.vendors[vendor]?.state?.import(states, mode);
    })();
  }

  private sections(doc: StateDocument): Array<[Vendor, Record<string, unknown>]> {
    return (Object.entries(doc) as Array<[Vendor, Record<string, Record<string, unknown>>]>)
      .map(([vendor, section]) => [vendor, section[SCOPE_COLLECTIONS[vendor]]]);
  }

  private states(): Array<[Vendor, VendorState<unknown>]> {
    return (Object.entries(this.vendors) as Array<[Vendor, VendorControl]>).flatMap(([vendor, control]) =>
      (control.state ? [[vendor, control.state]] : []));
  }
}
