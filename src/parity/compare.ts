// Comparing two answers to the same request: status; the documented headers; the body's shape (keys and
// types, with ids, timestamps and tracking ids reduced to their kind); and, for errors, the message texts
// with every value the run chose (ids, names) put back as its placeholder.
import { PROFILES, type VendorProfile } from './profiles';
import type { Scrubber } from './scrub';
import type { Answer, VendorName, Vars } from './step';

export interface Difference {
  what: 'status' | 'header' | 'shape' | 'error text';
  detail: string;
}

/** Kinds of strings whose value differs by nature between two servers; a recording stores `<kind>`. */
const KINDS: Array<[string, string]> = [
  ['uuid', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'],
  // SailPoint's ids, SLPT-Request-ID and trackingId.
  ['hex-id', '[0-9a-f]{32}'],
  ['timestamp', '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})'],
  ['jwt', 'eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]+'],
];
const WHOLE = KINDS.map(([kind, re]) => [kind, new RegExp(`^(?:${re})$`, 'i')] as const);
const INSIDE = KINDS.map(([kind, re]) => [kind, new RegExp(`\\b${re}\\b`, 'gi')] as const);

/** The kind of a string ('uuid', 'timestamp', …), also for the `<kind>` a recording stores instead. */
export function kindOf(value: string): string | undefined {
  const token = /^<([a-z-]+)>$/.exec(value);
  if (token && KINDS.some(([kind]) => kind === token[1])) return token[1];
  return WHOLE.find(([, re]) => re.test(value))?.[0];
}

/** An error text made comparable: credentials out, the run's own values as placeholders, ids as kinds. */
export function normaliseText(text: string, vars: Vars, scrub: Scrubber): string {
  let out = scrub.text(text);
  for (const [name, value] of vars.plain()) out = out.split(value).join(`{{${name}}}`);
  for (const [kind, re] of INSIDE) out = out.replace(re, `<${kind}>`);
  return out;
}

/** Calls visit for every value in a JSON document with its path (`data[].id`; '' for the root). */
export function walk(value: unknown, visit: (path: string, value: unknown) => boolean | void, path = ''): void {
  if (visit(path, value) === false) return;
  if (Array.isArray(value)) value.forEach((item) => walk(item, visit, `${path}[]`));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walk(item, visit, path === '' ? key : `${path}.${key}`);
  }
}

/** The error texts of an answer, in document order, normalised. */
export function errorTexts(vendor: VendorName, answer: Answer, vars: Vars, scrub: Scrubber): string[] {
  const paths = PROFILES[vendor].errorTexts;
  const texts: string[] = [];
  if (answer.json === undefined) return answer.text === '' ? [] : [normaliseText(answer.text.slice(0, 500), vars, scrub)];
  walk(answer.json, (path, value) => {
    if (typeof value === 'string' && paths.includes(path)) texts.push(normaliseText(value, vars, scrub));
  });
  return texts;
}

interface Shape {
  types: Map<string, Set<string>>;
  /** Arrays that were empty: whatever the other side has under them is not a difference. */
  empty: Set<string>;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const kind = kindOf(value);
    return kind ? `string(${kind})` : 'string';
  }
  return typeof value;
}

function shapeOf(answer: Answer, profile: VendorProfile): Shape {
  const shape: Shape = { types: new Map(), empty: new Set() };
  const add = (path: string, type: string) => {
    const types = shape.types.get(path) ?? new Set<string>();
    types.add(type);
    shape.types.set(path, types);
  };
  if (answer.json === undefined) {
    add('', answer.text === '' ? 'empty' : 'text');
    return shape;
  }
  walk(answer.json, (path, value) => {
    add(path, typeOf(value));
    if (Array.isArray(value) && value.length === 0) shape.empty.add(path);
    return !profile.opaque.includes(path);
  });
  return shape;
}

const parentOf = (path: string): string =>
  path.endsWith('[]') ? path.slice(0, -2) : path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
const describe = (types: Set<string> | undefined): string => (types ? [...types].sort().join('|') : '(absent)');
const shown = (path: string): string => (path === '' ? '(body)' : path);

function compareShapes(vendor: Shape, syncmock: Shape): Difference[] {
  const differences: Difference[] = [];
  const paths = [...new Set([...vendor.types.keys(), ...syncmock.types.keys()])].sort();
  for (const path of paths) {
    const v = vendor.types.get(path);
    const s = syncmock.types.get(path);
    if (v && s) {
      if (describe(v) !== describe(s)) differences.push({ what: 'shape', detail: `${shown(path)}: vendor ${describe(v)}, syncmock ${describe(s)}` });
      continue;
    }
    const lacking = v ? syncmock : vendor;
    if ([...lacking.empty].some((arrayPath) => path.startsWith(`${arrayPath}[]`))) continue;
    if (path !== '' && !lacking.types.has(parentOf(path))) continue; // reported at the topmost missing path
    differences.push({ what: 'shape', detail: `${shown(path)}: vendor ${describe(v)}, syncmock ${describe(s)}` });
  }
  return differences;
}

const mediaType = (answer: Answer): string => answer.headers['content-type']?.split(';')[0].trim().toLowerCase() ?? '(absent)';

function compareHeaders(vendor: Answer, syncmock: Answer, profile: VendorProfile): Difference[] {
  const differences: Difference[] = [];
  if (mediaType(vendor) !== mediaType(syncmock)) {
    differences.push({ what: 'header', detail: `Content-Type: vendor ${mediaType(vendor)}, syncmock ${mediaType(syncmock)}` });
  }
  for (const name of profile.presenceHeaders) {
    const v = name.toLowerCase() in vendor.headers;
    const s = name.toLowerCase() in syncmock.headers;
    if (v !== s) differences.push({ what: 'header', detail: `${name}: vendor ${v ? 'present' : 'absent'}, syncmock ${s ? 'present' : 'absent'}` });
  }
  return differences;
}

export interface Side {
  answer: Answer;
  vars: Vars;
}

/** Every difference between the vendor's answer and syncmock's; a different status is reported alone. */
export function compareAnswers(vendorName: VendorName, vendor: Side, syncmock: Side, scrub: Scrubber): Difference[] {
  if (vendor.answer.status !== syncmock.answer.status) {
    return [{ what: 'status', detail: `vendor ${vendor.answer.status}, syncmock ${syncmock.answer.status}` }];
  }
  const profile = PROFILES[vendorName];
  const differences = [
    ...compareHeaders(vendor.answer, syncmock.answer, profile),
    ...compareShapes(shapeOf(vendor.answer, profile), shapeOf(syncmock.answer, profile)),
  ];
  if (vendor.answer.status >= 400) {
    const v = errorTexts(vendorName, vendor.answer, vendor.vars, scrub);
    const s = errorTexts(vendorName, syncmock.answer, syncmock.vars, scrub);
    if (JSON.stringify(v) !== JSON.stringify(s)) {
      differences.push({ what: 'error text', detail: `vendor ${JSON.stringify(v)}, syncmock ${JSON.stringify(s)}` });
    }
  }
  return differences;
}
