// The drift test: the official clients as installed (the versions package-lock.json pins) against what
// syncmock serves. Every model, enum and operation the emulated endpoints use is read from the clients
// themselves (scripts/drift/), and every way syncmock differs from them must be listed, with its reason, in
// scripts/drift/deliberate.json. A dependency bot's bump of either client makes this test read the new
// version. The doctored copies below show that a removed field, a new enum member, a changed required flag
// and a new operation are each reported, by the client-to-client comparison (npm run drift) and by the
// comparison with syncmock.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { Difference } from '../../scripts/drift/compare';
import { contractChanges, type ClientContract } from '../../scripts/drift/contract';
import { DATADOG_CLIENT, DATADOG_PATH, readDatadogClient } from '../../scripts/drift/datadog-client';
import { differenceLine } from '../../scripts/drift/report';
import { SAILPOINT_CLIENT, TOKEN_OPERATION, readSailpointClient } from '../../scripts/drift/sailpoint-client';
import { compareWithSyncmock, readDeliberate, servedBySyncmock, verdict, type Served } from '../../scripts/drift/syncmock';
import { repoRoot } from '../spawn';

const rootOf = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const datadogRoot = rootOf(DATADOG_CLIENT);
const sailpointRoot = rootOf(SAILPOINT_CLIENT);
const datadog = readDatadogClient(datadogRoot);
const sailpoint = readSailpointClient(sailpointRoot);
const deliberate = readDeliberate();

let served: Served;
t.before(async () => {
  served = await servedBySyncmock();
});

const differences = (clients: { datadog: ClientContract; sailpoint: ClientContract }) => compareWithSyncmock(clients, served, deliberate).map(differenceLine);
/** The differences in what a doctored client finds that the pinned clients do not. */
const added = (clients: { datadog: ClientContract; sailpoint: ClientContract }) => {
  const before = differences({ datadog: datadog.contract, sailpoint: sailpoint.contract });
  return differences(clients).filter((d) => !before.includes(d));
};

t.test('the clients are read for every endpoint syncmock emulates', async (t) => {
  const ops = datadog.contract.operations;
  for (const name of ['listSecurityMonitoringIntegrationConfigs', 'createSecurityMonitoringIntegrationConfig', 'getSecurityMonitoringIntegrationConfig',
    'updateSecurityMonitoringIntegrationConfig', 'deleteSecurityMonitoringIntegrationConfig', 'validateSecurityMonitoringIntegrationConfig',
    'validateSecurityMonitoringIntegrationCredentials', 'activateIntegration', 'deactivateIntegration', 'getEntraIdAzureAppRegistrations']) {
    t.ok(ops[name]?.path.startsWith(DATADOG_PATH), `Datadog: ${name} is read, under ${DATADOG_PATH}`);
    t.equal(ops[name]?.unstable, true, `Datadog: ${name} is an unstable operation`);
  }
  t.match(datadog.contract.enums.SecurityMonitoringIntegrationType, ['GOOGLE_WORKSPACE', 'OKTA', 'ENTRA_ID', 'CROWDSTRIKE', 'SENTINELONE'], 'Datadog: the integration types');
  t.equal(datadog.contract.unions.SecurityMonitoringIntegrationConfigCreateAttributes?.length, 5, 'Datadog: create attributes, one per integration type');
  for (const model of ['SecurityMonitoringIntegrationConfigGoogleWorkspaceSecrets', 'SecurityMonitoringIntegrationConfigOktaSecrets',
    'SecurityMonitoringIntegrationConfigCrowdStrikeSecrets', 'SecurityMonitoringIntegrationConfigSentinelOneSecrets',
    'SecurityMonitoringIntegrationConfigAttributes', 'SecurityMonitoringAzureAppRegistration', 'APIErrorResponse']) {
    t.ok(datadog.contract.models[model], `Datadog: the model ${model}`);
  }
  t.same(datadog.contract.models.SecurityMonitoringIntegrationConfigAttributes?.fields.settings, { type: '{ [key: string]: any; }', required: false }, 'Datadog: settings');

  for (const version of ['beta', 'v2024']) {
    for (const [name, method] of [['getSourceAttrSyncConfig', 'GET'], ['putSourceAttrSyncConfig', 'PUT']]) {
      const op = sailpoint.contract.operations[`${version}.${name}`];
      t.match(op, { method, path: `/${version}/sources/{id}/attribute-sync-config`, params: { 'path id': { required: true } } }, `SailPoint: ${version}.${name}, its source id in the path`);
    }
  }
  t.match(sailpoint.contract.operations['v2024.getSourceAttrSyncConfig']?.params, { 'header x-sailpoint-experimental': { default: 'true' } }, 'SailPoint: v2024 sends the experimental header');
  t.ok(['/beta', '/v2024', '/v3'].every((p) => sailpoint.contract.prefixes.includes(p)), `SailPoint: the API version prefixes (${sailpoint.contract.prefixes.join(', ')})`);
  const token = sailpoint.contract.operations[TOKEN_OPERATION];
  t.match(token, { method: 'POST', path: '/oauth/token', body: { contentType: 'multipart/form-data' } }, 'SailPoint: the token request');
  t.same(Object.keys(sailpoint.contract.models[`${TOKEN_OPERATION} request`]?.fields ?? {}), ['grant_type', 'client_id', 'client_secret'], 'SailPoint: the token request\'s fields');
  t.same(Object.keys(sailpoint.contract.models[`${TOKEN_OPERATION} answer`]?.fields ?? {}), ['access_token'], 'SailPoint: what it reads of the answer');
});

t.test('the pinned clients against what syncmock serves: every difference is deliberate', async (t) => {
  const found = compareWithSyncmock({ datadog: datadog.contract, sailpoint: sailpoint.contract }, served, deliberate);
  const v = verdict(found, served, deliberate);
  t.strictSame(v.undeclared.map(differenceLine), [], `no difference but those in scripts/drift/deliberate.json (${datadog.contract.version}, ${sailpoint.contract.version})`);
  t.strictSame(v.stale.map(differenceLine), [], 'every deliberate entry still covers a difference');
  t.strictSame(v.revisions, [], 'every Datadog revision syncmock serves is compared or listed as not compared');
});

t.test('each deliberate difference gives its reason and the README section that documents it', async (t) => {
  // GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens.
  const anchors = new Set([...fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8').matchAll(/^#{1,6} (.+)$/gm)]
    .map((m) => `#${m[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')}`));
  for (const entry of [...deliberate.differences, ...deliberate.revisionsNotCompared]) {
    const what = 'kind' in entry ? differenceLine(entry) : `revision ${entry.revision}`;
    t.ok(entry.reason.length > 40, `${what}: a reason`);
    t.ok(anchors.has(entry.readme), `${what}: README section ${entry.readme} exists`);
  }
});

t.test('syncmock\'s side: a field, an enum member, a required flag or a route it loses is reported', async (t) => {
  const pinned = { datadog: datadog.contract, sailpoint: sailpoint.contract };
  const before = differences(pinned);
  const lost = structuredClone(served);
  const schemas = (name: string) => (lost.documents[name] as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown>; enum: string[]; required: string[] }> } }).components.schemas;
  const crowdStrike = schemas('datadog-2026-08')['datadog-CrowdStrikeSecrets'];
  delete crowdStrike.properties.client_secret;
  crowdStrike.required = ['client_id'];
  schemas('datadog-2026-08')['datadog-IntegrationConfigState'].enum = ['valid', 'invalid'];
  schemas('sailpoint')['sailpoint-AttrSyncSourceAttributeConfig'].required = ['name', 'displayName', 'enabled'];
  delete lost.documents.sailpoint.paths['/v2024/sources/{id}/attribute-sync-config'].put;
  const after = compareWithSyncmock(pinned, lost, deliberate).map(differenceLine).filter((d) => !before.includes(d));
  const kinds = (kind: string, text: string) => after.filter((d) => d.startsWith(`${kind}: `) && d.includes(text));
  const secret = kinds('field missing', '(integration_type=CROWDSTRIKE).secrets.client_secret');
  const state = kinds('enum member missing', 'attributes.state; the client: initializing');
  const target = kinds('required', 'attributes[].target; the client: required; syncmock: optional');
  const route = kinds('operation missing', 'sailpoint PUT /v2024/sources/{id}/attribute-sync-config');
  t.equal(secret.length, 3, 'a CrowdStrike secret gone: create, update, validate');
  t.equal(state.length, 6, 'a state gone: every answer with a config (list, create, get, update, activate, deactivate)');
  t.ok(target.length >= 3, 'a required flag gone: beta and v2024, request and answers');
  t.equal(route.length, 1, 'a route gone');
  t.strictSame(after.filter((d) => ![...secret, ...state, ...target, ...route].includes(d)), [], 'nothing else');
});

/**
 * The files a client was read from, in a folder of their own, some edited (each edit must change its
 * file); the others are links to the originals, or copies where links cannot be made.
 */
function doctored(t: Test, root: string, files: string[], edits: Record<string, (text: string) => string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-drift-fixture-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const file of Object.keys(edits)) if (!files.includes(file)) throw new Error(`${file} is not read`);
  for (const file of files) {
    const [from, to] = [path.join(root, file), path.join(dir, file)];
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const edit = edits[file];
    if (edit) {
      const text = fs.readFileSync(from, 'utf8');
      const edited = edit(text);
      if (edited === text) throw new Error(`the edit of ${file} changed nothing`);
      fs.writeFileSync(to, edited);
    } else {
      try {
        fs.symlinkSync(from, to);
      } catch {
        fs.copyFileSync(from, to);
      }
    }
  }
  return dir;
}

/** `text` with the one occurrence of `from` after `after` replaced. */
function replaceOnce(text: string, from: string, to: string, after = ''): string {
  const start = after ? text.indexOf(after) : 0;
  const at = text.indexOf(from, start);
  if (start < 0 || at < 0) throw new Error(`'${from}' not found${after ? ` after '${after}'` : ''}`);
  return `${text.slice(0, at)}${to}${text.slice(at + from.length)}`;
}

t.test('a doctored Datadog client: a new enum member, a removed field, a changed required flag and a new operation are reported, nothing else', async (t) => {
  const models = 'dist/packages/datadog-api-client-v2/models';
  const api = 'dist/packages/datadog-api-client-v2/apis/SecurityMonitoringApi.js';
  const configuration = 'dist/packages/datadog-api-client-common/configuration.js';
  // A copy of a method under a new name and path: the request factory's and the response processor's.
  const copyMethod = (text: string, header: string) => {
    const start = text.indexOf(header);
    const end = text.indexOf('\n    }\n', start) + '\n    }\n'.length;
    const method = text.slice(start, end).replaceAll('getSecurityMonitoringIntegrationConfig', 'getSecurityMonitoringIntegrationConfigStatus')
      .replace('{integration_config_id}"', '{integration_config_id}/status"');
    return `${text.slice(0, start)}${method}${text.slice(start)}`;
  };
  const root = doctored(t, datadogRoot, datadog.files, {
    [`${models}/SecurityMonitoringIntegrationType.js`]: (s) => `${s}\nexports.JUMPCLOUD = "JUMPCLOUD";\n`,
    [`${models}/SecurityMonitoringOktaIntegrationConfigCreateAttributes.js`]: (s) => replaceOnce(s, '    settings: {\n        baseName: "settings",\n        type: "{ [key: string]: any; }",\n    },\n', ''),
    [`${models}/SecurityMonitoringIntegrationActivateAttributes.js`]: (s) => replaceOnce(s, 'baseName: "name",\n        type: "string",\n', 'baseName: "name",\n        type: "string",\n        required: true,\n'),
    [api]: (s) => copyMethod(copyMethod(s, '    getSecurityMonitoringIntegrationConfig(integrationConfigId, _options) {'), '    getSecurityMonitoringIntegrationConfig(response) {'),
    // A new unstable operation comes with its flag.
    [configuration]: (s) => replaceOnce(s, '"v2.getSecurityMonitoringIntegrationConfig": false,', '"v2.getSecurityMonitoringIntegrationConfig": false,\n        "v2.getSecurityMonitoringIntegrationConfigStatus": false,'),
  });
  const changed = readDatadogClient(root).contract;
  t.strictSame(contractChanges(datadog.contract, changed), [
    { change: 'new operation', where: 'getSecurityMonitoringIntegrationConfigStatus', newest: `GET ${DATADOG_PATH}/{integration_config_id}/status` },
    { change: 'required changed', where: 'SecurityMonitoringIntegrationActivateAttributes.name', pinned: 'optional', newest: 'required' },
    { change: 'removed field', where: 'SecurityMonitoringOktaIntegrationConfigCreateAttributes.settings', pinned: '{ [key: string]: any; }, optional' },
    { change: 'new enum member', where: 'SecurityMonitoringIntegrationType', newest: 'JUMPCLOUD' },
  ], 'npm run drift reports exactly the four changes');

  const news = added({ datadog: changed, sailpoint: sailpoint.contract });
  const jumpcloud = news.filter((d) => /^enum member missing: .*; the client: JUMPCLOUD$/.test(d));
  t.ok(jumpcloud.includes(`enum member missing: datadog GET ${DATADOG_PATH} query filter[integration_type]; the client: JUMPCLOUD`), 'syncmock does not accept JUMPCLOUD as a filter');
  t.ok(jumpcloud.some((d) => d.includes('response 200: data.attributes.integration_type')), 'nor answer it as a config\'s type');
  t.strictSame(news.filter((d) => !jumpcloud.includes(d)).sort(), [
    `field extra: datadog POST ${DATADOG_PATH} request body: data.attributes(integration_type=OKTA).settings; syncmock: free-form object, optional`,
    `operation missing: datadog GET ${DATADOG_PATH}/{integration_config_id}/status; the client: GET ${DATADOG_PATH}/{integration_config_id}/status`,
    `required: datadog POST ${DATADOG_PATH}/{integration_type}/activate request body: data.attributes.name; the client: required; syncmock: optional`,
  ], 'and the drift test fails on each of the other three, nothing else');
});

t.test('a doctored SailPoint client: a new enum member, a removed field and a changed required flag in its .d.ts are reported, nothing else', async (t) => {
  const dts = 'dist/beta/api.d.ts';
  const root = doctored(t, sailpointRoot, sailpoint.files, {
    [dts]: (s) => {
      const withMember = replaceOnce(s, '    readonly Source: "SOURCE";\n', '    readonly Source: "SOURCE";\n    readonly Group: "GROUP";\n', 'export declare const AttrSyncSourceBetaTypeBeta: {');
      const withRequired = replaceOnce(withMember, "'id'?: string;", "'id': string;", 'export interface AttrSyncSourceBeta {');
      return replaceOnce(withRequired, "    'displayName': string;\n", '', 'export interface AttrSyncSourceAttributeConfigBeta {');
    },
  });
  const changed = readSailpointClient(root).contract;
  t.strictSame(contractChanges(sailpoint.contract, changed), [
    { change: 'required changed', where: 'AttrSyncSourceBeta.id', pinned: 'optional', newest: 'required' },
    { change: 'removed field', where: 'AttrSyncSourceAttributeConfigBeta.displayName', pinned: 'string, required' },
    { change: 'new enum member', where: 'AttrSyncSourceBetaTypeBeta', newest: 'GROUP' },
  ], 'npm run drift reports exactly the three changes');

  const news = added({ datadog: datadog.contract, sailpoint: changed });
  const beta = '/beta/sources/{id}/attribute-sync-config';
  const check = (d: Difference['kind'], pattern: RegExp) => news.filter((line) => line.startsWith(`${d}: `) && pattern.test(line));
  t.ok(check('required', /PUT \/beta\/.* request body: source\.id; the client: required; syncmock: optional$/).length === 1, 'syncmock does not require the source id the client now sends always');
  t.ok(check('field extra', /attributes\[\]\.displayName/).length >= 3, 'syncmock has a displayName the client no longer has (request and answers)');
  t.ok(check('enum member missing', /source\.type; the client: GROUP$/).length >= 3, 'syncmock does not accept GROUP as a source type (request and answers)');
  t.strictSame(news.filter((line) => !line.includes(beta)), [], 'only the beta operations differ');
  t.strictSame(news.filter((line) => !/^(required|field extra|enum member missing): /.test(line)), [], 'and in nothing else');
});
