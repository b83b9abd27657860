// Work per request is bounded, counted rather than timed: on generated worst bodies for every route that
// takes one (many items, nesting to the limit, long strings, many keys, many invalid values; fast-check,
// the hostile tests' seed), with the defaults and with --reject-unknown-fields (one error per unknown field),
// every ajv validator the request runs is counted as it runs (ajv's compile is wrapped in this process):
// - a handful of validator calls per request, whatever the body holds (not one per item);
// - a detailed (allErrors) check only of a document of at most DETAILED_MAX_VALUES values, so the errors any
//   one call collects stay under a bound that does not grow with the body (ajv collected 1.4 million for
//   1 MiB of `{}` items, then the enum merge was quadratic in them);
// - at most MAX_PROBLEMS problems in the answer, plus one line saying there were more.
// The time this takes is measured by the bench (`BENCH_ONLY=worst npm run bench`), not here.
import Ajv, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import t from 'tap';
import { MAX_PROBLEMS } from '../../src/platform/errors';
import { DETAILED_MAX_VALUES } from '../../src/platform/validators';
import { rawRequest, startServer } from '../helpers';
import { PREFIX, datadog } from '../datadog/dd';
import { FUZZ_SEED } from './hostile';
import { attrSyncPath, sailpointHeaders, sailpointToken } from './surfaces';

const RUNS = Number(process.env.SYNCMOCK_FUZZ_RUNS ?? 20);
const BODY_LIMIT = 1024 * 1024;
/** Errors ajv may collect for one value: a missing required field each (four in an attribute), an enum per anyOf branch and the anyOf. */
const ERRORS_PER_VALUE = 5;

interface Call {
  allErrors: boolean;
  errors: number;
}
const calls: Call[] = [];
// Every validator compiled from here on (Fastify's route validators are compiled on a route's first use)
// reports each call: whether it collects every error, and how many it collected.
const compile = Ajv.prototype.compile;
Ajv.prototype.compile = function counting(this: Ajv, ...args: Parameters<Ajv['compile']>) {
  const validate = compile.apply(this, args) as ValidateFunction;
  const allErrors = this.opts.allErrors === true;
  const counted = ((data: unknown, ...rest: unknown[]) => {
    const valid = (validate as (...a: unknown[]) => boolean)(data, ...rest);
    counted.errors = validate.errors;
    calls.push({ allErrors, errors: validate.errors?.length ?? 0 });
    return valid;
  }) as ValidateFunction;
  return counted;
} as typeof compile;
t.teardown(() => { Ajv.prototype.compile = compile; });

/** How many values a JSON text holds (each object, array and scalar once). */
function valuesOf(text: string): number {
  let count = 0;
  const pending: unknown[] = [JSON.parse(text)];
  while (pending.length > 0) {
    const value = pending.pop();
    count++;
    if (value !== null && typeof value === 'object') for (const child of Object.values(value)) pending.push(child);
  }
  return count;
}

/** `count` items made by `make`, joined by commas: as many as fit, keeping the body under the limit. */
const items = (count: number, make: (i: number) => string, room = BODY_LIMIT - 2048): string => {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const part = make(i);
    size += part.length + 1;
    if (size > room) break;
    out.push(part);
  }
  return out.join(',');
};

/** Few (a body checked for every error), or many, up to what fits in 1 MiB. */
const count = fc.oneof(fc.integer({ min: 1, max: 250 }), fc.integer({ min: 1, max: 16_000 }));
const invalidItem = fc.constantFrom('{}', '{"name":1,"displayName":1,"enabled":"x","target":[]}', '"x"', 'null', '[1]',
  '{"name":"n","displayName":"d","enabled":true,"target":"t","x":1}', '{"integration_type":"NOPE","enabled":"no"}');
const depth = fc.integer({ min: 1, max: 96 });
const nested = (levels: number, inner: string) => `${'{"a":'.repeat(levels)}${inner}${'}'.repeat(levels)}`;

/** The worst shapes inside a JSON object's members (a leading comma where there are members before). */
const members: fc.Arbitrary<(lead: string) => string> = fc.oneof(
  fc.tuple(count, invalidItem).map(([n, item]) => (lead: string) => `${lead}"settings":[${items(n, () => item)}]`),
  count.map((n) => (lead: string) => `${lead}${items(n, (i) => `"x${i}":${i % 2 ? '"v"' : '[]'}`)}`),
  count.map((n) => (lead: string) => `${lead}"secrets":{${items(n, (i) => `"k${i}":{}`)}}`),
  fc.integer({ min: 1, max: BODY_LIMIT - 4096 }).map((n) => (lead: string) => `${lead}"name":"${'x'.repeat(n)}"`),
  fc.tuple(depth, count).map(([levels, n]) => (lead: string) => `${lead}"settings":${nested(levels, `[${items(n, () => '1')}]`)}`),
  fc.tuple(count, invalidItem).map(([n, item]) => (lead: string) => `${lead}"integration_type":[${items(n, () => item)}]`),
);

const datadogBody = (type: string, attributes: string) => `{"data":{"type":"${type}","attributes":{"domain":"d","integration_type":"OKTA"${attributes}}}}`;
const sailpointBody: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(count, invalidItem).map(([n, item]) => `{"source":{"type":"SOURCE"},"attributes":[${items(n, () => item)}]}`),
  count.map((n) => `{"source":{"type":"SOURCE"},"attributes":[${items(n, (i) => `{"name":"a${i}","displayName":"d","enabled":true,"target":"t"}`)}]}`),
  count.map((n) => `{"source":{"type":"SOURCE",${items(n, (i) => `"x${i}":1`)}},"attributes":[]}`),
  fc.tuple(depth, count).map(([levels, n]) => `{"source":${nested(levels, `[${items(n, () => '{}')}]`)},"attributes":[]}`),
  fc.integer({ min: 1, max: BODY_LIMIT - 4096 }).map((n) => `{"source":{"type":"SOURCE"},"attributes":[{"name":"${'x'.repeat(n)}","displayName":"d","enabled":true,"target":"t"}]}`),
);
const controlBody: fc.Arbitrary<string> = fc.oneof(
  count.map((n) => `{"status":503,${items(n, (i) => `"x${i}":${i}`)}}`),
  fc.tuple(count, invalidItem).map(([n, item]) => `{"datadog":{"orgs":{${items(n, (i) => `"o${i}":{"integration_configs":[${item}]}`)}}}}`),
  count.map((n) => `{"datadog":{${items(n, (i) => `"g${i}":{"limit":"x"}`)}}}`),
  fc.tuple(depth, count).map(([levels, n]) => `{"datadog":{"orgs":{"o":{"integration_configs":[{"id":"x","integration_type":"OKTA","domain":"d","settings":${nested(levels, `[${items(n, () => 'true')}]`)}}]}}}}`),
);

/** How many problems an answer lists, in each surface's shape. */
function problemsIn(text: string): number {
  const body = JSON.parse(text);
  return (body.errors ?? body.causes ?? body.details ?? (body.error_description ? String(body.error_description).split('; ') : [])).length;
}

t.test('the bounds are the ones README documents', async (t) => {
  t.equal(MAX_PROBLEMS, 100, 'an answer lists at most 100 problems');
  t.equal(DETAILED_MAX_VALUES, 1000, 'a body of at most 1,000 values has its problems listed');
});

for (const rejectUnknownFields of [false, true]) {
  t.test(`every route's worst bodies cost a bounded number of validations and errors${rejectUnknownFields ? ' (--reject-unknown-fields)' : ''}`, async (t) => {
    const server = await startServer(t, { logLevel: 'warn', rejectUnknownFields });
    const dd = datadog(server.url, 'bounded-api-key', 'bounded-app-key');
    const created = await dd.call('POST', '', { data: { type: 'integration_config', attributes: { domain: 'd', integration_type: 'OKTA', name: 'n', secrets: { api_token: 't' } } } });
    const token = await sailpointToken(server.url);
    const json = { 'content-type': 'application/json' };
    const v06 = { 'x-syncmock-datadog-revision': '2026-06' };
    const v08 = { 'x-syncmock-datadog-revision': '2026-08' };
    type Route = [string, string, Record<string, string>, fc.Arbitrary<string>];
    const routes: Route[] = [
      ...[v06, v08].flatMap((revision): Route[] => [
        ['POST', PREFIX, { ...dd.headers, ...revision }, members.map((m) => datadogBody('integration_config', m(',"name":"n",')))],
        ['POST', `${PREFIX}/validate`, { ...dd.headers, ...revision }, members.map((m) => datadogBody('integration_config', m(',')))],
        ['PATCH', `${PREFIX}/${created.json.data.id}`, { ...dd.headers, ...revision }, members.map((m) => datadogBody('integration_config', m(',')))],
      ]),
      ['POST', `${PREFIX}/entra_id/activate`, { ...dd.headers, ...v08 }, members.map((m) => datadogBody('activate_entra_id_request', m(',')))],
      ['PUT', attrSyncPath(), sailpointHeaders(token), sailpointBody],
      ['PUT', attrSyncPath(undefined, 'v2024'), sailpointHeaders(token), sailpointBody],
      ['POST', '/__admin/faults', {}, controlBody], ['POST', '/__admin/state', {}, controlBody], ['PUT', '/__admin/rate-limits', {}, controlBody],
      ['POST', '/__admin/clock', {}, controlBody], ['POST', '/__admin/datadog/credential-outcome', {}, controlBody],
    ];
    let most = { calls: 0, errors: 0, problems: 0, detailedOver: 0 };
    const route = fc.constantFrom(...routes).chain(([method, path, headers, body]) => body.map((text) => ({ method, path, headers, text })));
    await fc.assert(fc.asyncProperty(route, async ({ method, path, headers, text }) => {
      const what = `${method} ${path}, ${text.length} bytes: ${text.slice(0, 120)}`;
      calls.length = 0;
      const res = await rawRequest(server.url, { method, path, headers: { ...headers, ...json }, body: text });
      if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
      const values = valuesOf(text);
      const detailed = calls.filter((c) => c.allErrors);
      if (calls.length > 8) throw new Error(`${what}: ${calls.length} validator calls`);
      if (values > DETAILED_MAX_VALUES && detailed.length > 0) throw new Error(`${what}: ${values} values, checked for every error`);
      const errors = Math.max(0, ...calls.map((c) => c.errors));
      if (errors > ERRORS_PER_VALUE * DETAILED_MAX_VALUES) throw new Error(`${what}: one validation collected ${errors} errors`);
      const problems = res.status >= 400 ? problemsIn(res.text) : 0;
      if (problems > MAX_PROBLEMS + 1) throw new Error(`${what}: ${problems} problems in the answer`);
      most = { calls: Math.max(most.calls, calls.length), errors: Math.max(most.errors, errors), problems: Math.max(most.problems, problems),
        detailedOver: Math.max(most.detailedOver, detailed.length > 0 ? values : 0) };
    }), { seed: FUZZ_SEED, numRuns: RUNS });
    t.pass(`${RUNS} worst bodies: at most ${most.calls} validator calls and ${most.errors} errors collected in one request, ${most.problems} problems in one answer`);
  });
}
