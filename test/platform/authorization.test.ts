// Reading an Authorization header (bearer, Basic, nothing, malformed) without ever quoting it, and finding
// credentials in request headers and query parameters by what they hold as well as by their names.
import t from 'tap';
import { parseAuthorization } from '../../src/platform/authorization';
import { REDACTED, Redaction } from '../../src/platform/redaction';
import { VENDORS } from '../../src/vendors';

const redaction = new Redaction(VENDORS.map((v) => v.credentials));
const redact = redaction.redact.bind(redaction);
const redactFields = redaction.redactFields.bind(redaction);
const redactUrl = redaction.redactUrl.bind(redaction);

const b64 = (text: string) => Buffer.from(text).toString('base64');

t.test('parseAuthorization', async (t) => {
  const cases: Array<[string | undefined, ReturnType<typeof parseAuthorization>]> = [
    [undefined, { scheme: 'none' }],
    ['', { scheme: 'none' }],
    ['   ', { scheme: 'none' }],
    ['Bearer ddpat_abc', { scheme: 'bearer', token: 'ddpat_abc' }],
    ['bearer   eyJ.a-b_c~d+e/f==  ', { scheme: 'bearer', token: 'eyJ.a-b_c~d+e/f==' }],
    ['BEARER\tx', { scheme: 'bearer', token: 'x' }],
    [`Basic ${b64('id:se:cret')}`, { scheme: 'basic', user: 'id', password: 'se:cret' }],
    [`basic ${b64(':')}`, { scheme: 'basic', user: '', password: '' }],
    [`Basic ${b64('id:sécret')}`, { scheme: 'basic', user: 'id', password: 'sécret' }],
    ['Bearer', { scheme: 'malformed', problem: 'the bearer token is empty' }],
    ['Bearer a b', { scheme: 'malformed', problem: 'the bearer token is malformed' }],
    ['Bearer a=b', { scheme: 'malformed', problem: 'the bearer token is malformed' }],
    ['Basic', { scheme: 'malformed', problem: 'the Basic credentials are empty' }],
    ['Basic abc', { scheme: 'malformed', problem: 'the Basic credentials are not base64-encoded UTF-8' }],
    ['Basic ab!c', { scheme: 'malformed', problem: 'the Basic credentials are not base64-encoded UTF-8' }],
    [`Basic ${Buffer.from([0x69, 0x64, 0x3a, 0xff]).toString('base64')}`, { scheme: 'malformed', problem: 'the Basic credentials are not base64-encoded UTF-8' }],
    [`Basic ${b64('no-colon')}`, { scheme: 'malformed', problem: 'the Basic credentials have no colon between user and password' }],
    ['Digest username="x"', { scheme: 'malformed', problem: 'the authorization scheme is not supported' }],
    ['ddpat_a-bare-token', { scheme: 'malformed', problem: 'the authorization scheme is not supported' }],
  ];
  for (const [header, expected] of cases) t.same(parseAuthorization(header), expected, JSON.stringify(header));
  const huge = `Bearer ${'a'.repeat(1024 * 1024)}`;
  t.equal((parseAuthorization(huge) as { token: string }).token.length, 1024 * 1024, 'a long token is read whole (the HTTP parser caps headers)');
});

t.test('credentials in request headers and query parameters are found by name or by value', async (t) => {
  const headers = {
    authorization: 'anything at all',
    'dd-application-key': 'k',
    'x-forwarded-authorization': 'Bearer abc',
    'x-proxy-auth': 'basic Zm9vOmJhcg==',
    'x-dd-token': 'ddsat_abc',
    'x-token-list': ['fine', 'ddpat_abc'],
    'x-sailpoint-token': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
    'x-request-id': 'abc',
    'user-agent': 'datadog-api-client-typescript/1.64.0',
    accept: 'application/json',
  };
  t.same(redactFields(headers), {
    authorization: REDACTED,
    'dd-application-key': REDACTED,
    'x-forwarded-authorization': REDACTED,
    'x-proxy-auth': REDACTED,
    'x-dd-token': REDACTED,
    'x-token-list': REDACTED,
    'x-sailpoint-token': REDACTED,
    'x-request-id': 'abc',
    'user-agent': 'datadog-api-client-typescript/1.64.0',
    accept: 'application/json',
  });
  t.equal(redactUrl('/x?filter=OKTA&t=ddpat_abc&q=Bearer%20abc&client_secret=s&ok=1'), `/x?filter=OKTA&t=${encodeURIComponent(REDACTED)}&q=${encodeURIComponent(REDACTED)}&client_secret=${encodeURIComponent(REDACTED)}&ok=1`);
  t.equal(redactUrl('/x?filter=OKTA'), '/x?filter=OKTA', 'nothing to hide, the URL as it was');
  // Journaled bodies are redacted by name and by value: what looks like a credential is hidden wherever it is
  // (a name that only looks like one too). State exports go by value only, and an import puts such values
  // back (test/control/state-identity.test.ts).
  t.same(redact({ name: 'Bearer of news', settings: { note: 'ddpat_ in prose', plain: 'kept' }, secrets: { x: 1 } }),
    { name: REDACTED, settings: { note: REDACTED, plain: 'kept' }, secrets: REDACTED });
  t.same(redaction.redactValues({ name: 'Bearer of news', settings: { token: 'shown' }, secrets: { x: 1 } }),
    { name: REDACTED, settings: { token: 'shown' }, secrets: { x: 1 } }, 'by value only: names are data (the vendor replaces its secrets itself)');
});
