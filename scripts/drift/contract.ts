// What an official client says about the endpoints syncmock emulates, read from the client itself
// (datadog-client.ts, sailpoint-client.ts): plain data, so two versions of a client compare key by key
// (contractChanges, what `npm run drift` prints) and a client compares with what syncmock serves
// (compare.ts, what the drift test checks).

/**
 * A type as the clients write it: `string`, `number`, `boolean`, `Date`, `any`, `Array<T>`,
 * `{ [key: string]: T; }`, or the name of a model, enum or union of the same contract.
 */
export type TypeRef = string;

export interface Field {
  type: TypeRef;
  required: boolean;
  /** The client's format, where it keeps one (Datadog: `date-time`, `int64`). */
  format?: string;
  nullable?: boolean;
}

export interface Model {
  /** By the name on the wire. */
  fields: Record<string, Field>;
  /** The client reads only these fields of a larger body (SailPoint's token answer): others are not its concern. */
  partial?: boolean;
}

export interface Param {
  in: 'path' | 'query' | 'header';
  name: string;
  type: TypeRef;
  /** The client always sends it: a required parameter, or one with a default. */
  required: boolean;
  default?: string;
}

export interface Operation {
  method: string;
  /** The full path, with the client's parameter names: `/beta/sources/{id}/attribute-sync-config`. */
  path: string;
  /** By `<in> <name>` (header names in lower case). */
  params: Record<string, Param>;
  body?: { type: TypeRef; required: boolean; contentType: string };
  /**
   * Each status the client tells apart, and the type it reads from its body (null: none). `2xx` alone: the
   * client reads any success the same way and models no error (SailPoint's).
   */
  responses: Record<string, TypeRef | null>;
  /** Datadog: the client refuses it unless `unstableOperations` enables it. */
  unstable?: boolean;
}

export interface ClientContract {
  client: string;
  version: string;
  /** By the client's name for the operation (`activateIntegration`, `beta.getSourceAttrSyncConfig`). */
  operations: Record<string, Operation>;
  models: Record<string, Model>;
  enums: Record<string, string[]>;
  /** A union's variants, by model name (Datadog's oneOf types). */
  unions: Record<string, string[]>;
  /** The API version prefixes the client has (SailPoint: `/beta`, `/v2024`, …). */
  prefixes: string[];
}

/** One change between two versions of a client, as `npm run drift` reports it. */
export interface Change {
  change: string;
  where: string;
  pinned?: string;
  newest?: string;
}

const flag = (required: boolean) => (required ? 'required' : 'optional');

/** `a` then `b`'s keys, each once. */
function keys<T>(a: Record<string, T>, b: Record<string, T>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function fieldText(f: Field): string {
  return `${f.type}${f.format ? ` (${f.format})` : ''}${f.nullable ? ' | null' : ''}`;
}

function paramText(p: Param): string {
  return `${p.type}${p.default !== undefined ? ` = '${p.default}'` : ''}`;
}

/**
 * Everything that differs between two versions of a client's contract: new and removed operations, models,
 * fields, enums and their members, union variants, parameters, statuses and prefixes; changed types,
 * required flags, methods, paths, bodies and unstable flags. In a stable order, pinned first.
 */
export function contractChanges(pinned: ClientContract, newest: ClientContract): Change[] {
  const out: Change[] = [];
  const add = (change: string, where: string, p?: string, n?: string) => out.push({ change, where, ...(p !== undefined ? { pinned: p } : {}), ...(n !== undefined ? { newest: n } : {}) });

  for (const id of keys(pinned.operations, newest.operations)) {
    const [p, n] = [pinned.operations[id], newest.operations[id]];
    const line = (op: Operation) => `${op.method} ${op.path}`;
    if (!p || !n) {
      add(n ? 'new operation' : 'removed operation', id, p && line(p), n && line(n));
      continue;
    }
    if (line(p) !== line(n)) add('operation moved', id, line(p), line(n));
    if (!!p.unstable !== !!n.unstable) add('unstable flag changed', id, p.unstable ? 'unstable' : 'stable', n.unstable ? 'unstable' : 'stable');
    for (const key of keys(p.params, n.params)) {
      const [pp, np] = [p.params[key], n.params[key]];
      const where = `${id} ${key}`;
      if (!pp || !np) add(np ? 'new parameter' : 'removed parameter', where, pp && paramText(pp), np && paramText(np));
      else {
        if (paramText(pp) !== paramText(np)) add('type changed', where, paramText(pp), paramText(np));
        if (pp.required !== np.required) add('required changed', where, flag(pp.required), flag(np.required));
      }
    }
    const [pb, nb] = [p.body, n.body];
    if (!pb || !nb) {
      if (pb || nb) add(nb ? 'new request body' : 'removed request body', `${id} body`, pb?.type, nb?.type);
    } else {
      const body = (b: NonNullable<Operation['body']>) => `${b.type} as ${b.contentType}`;
      if (body(pb) !== body(nb)) add('type changed', `${id} body`, body(pb), body(nb));
      if (pb.required !== nb.required) add('required changed', `${id} body`, flag(pb.required), flag(nb.required));
    }
    for (const status of keys(p.responses, n.responses)) {
      const where = `${id} response ${status}`;
      const [pr, nr] = [p.responses[status], n.responses[status]];
      const text = (t: TypeRef | null | undefined) => (t === null ? 'no body' : t);
      if (pr === undefined || nr === undefined) add(nr !== undefined ? 'new status' : 'removed status', where, text(pr), text(nr));
      else if (pr !== nr) add('type changed', where, text(pr), text(nr));
    }
  }

  for (const name of keys(pinned.models, newest.models)) {
    const [p, n] = [pinned.models[name], newest.models[name]];
    if (!p || !n) {
      add(n ? 'new model' : 'removed model', name);
      continue;
    }
    for (const field of keys(p.fields, n.fields)) {
      const [pf, nf] = [p.fields[field], n.fields[field]];
      const where = `${name}.${field}`;
      if (!pf || !nf) add(nf ? 'new field' : 'removed field', where, pf && `${fieldText(pf)}, ${flag(pf.required)}`, nf && `${fieldText(nf)}, ${flag(nf.required)}`);
      else {
        if (fieldText(pf) !== fieldText(nf)) add('type changed', where, fieldText(pf), fieldText(nf));
        if (pf.required !== nf.required) add('required changed', where, flag(pf.required), flag(nf.required));
      }
    }
  }

  const members = (section: 'enums' | 'unions', what: string, member: string) => {
    for (const name of keys(pinned[section], newest[section])) {
      const [p, n] = [pinned[section][name], newest[section][name]];
      if (!p || !n) add(n ? `new ${what}` : `removed ${what}`, name, p?.join(', '), n?.join(', '));
      else {
        for (const m of n.filter((x) => !p.includes(x))) add(`new ${member}`, name, undefined, m);
        for (const m of p.filter((x) => !n.includes(x))) add(`removed ${member}`, name, m, undefined);
      }
    }
  };
  members('enums', 'enum', 'enum member');
  members('unions', 'union', 'union variant');

  for (const prefix of newest.prefixes.filter((x) => !pinned.prefixes.includes(x))) add('new API version prefix', prefix, undefined, prefix);
  for (const prefix of pinned.prefixes.filter((x) => !newest.prefixes.includes(x))) add('removed API version prefix', prefix, prefix, undefined);
  return out;
}
