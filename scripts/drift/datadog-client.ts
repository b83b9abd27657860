// The contract of @datadog/datadog-api-client for the endpoints syncmock emulates, read from the package:
// operations from SecurityMonitoringApi's request factory (method, path, parameters, body, unstable check)
// and response processor (each status and the model it reads), unstable flags from the common
// configuration.js, and every model, enum and union those operations reach: models from their class's
// attributeTypeMap, enums from their module's constants, unions (oneOf) from their .d.ts. Model modules
// load nothing, so they are loaded; ObjectSerializer.js, which loads all 8,000 of them (3 s), is not.
import { ts } from '@ts-morph/common';
import {
  PackageFiles, calleeName, classMember, findAll, identifiers, indexOf, nameOf, occurrences, parse, pieces, stringArg,
} from './client-source';
import type { ClientContract, Field, Model, Operation, Param, TypeRef } from './contract';

export const DATADOG_CLIENT = '@datadog/datadog-api-client';
/** The endpoints syncmock emulates: every operation under this path is read. */
export const DATADOG_PATH = '/api/v2/security_monitoring/configuration/integration_config';

const V2 = 'dist/packages/datadog-api-client-v2';
const API = `${V2}/apis/SecurityMonitoringApi.js`;
const CONFIGURATION = 'dist/packages/datadog-api-client-common/configuration.js';
/** A class member's first line, as tsc writes it: four spaces, the name, its parameters. */
const METHOD = /^ {4}(\w+)\(([\w, ]*)\) \{$/;

interface AttributeType { baseName: string; type: string; required?: boolean; format?: string }

/** The client's contract for the emulated endpoints, from the package installed at `root`. */
export function readDatadogClient(root: string): { contract: ClientContract; files: string[] } {
  const files = new PackageFiles(root);
  const text = files.text(API);
  const factoryAt = indexOf(text, 'class SecurityMonitoringApiRequestFactory ', API);
  const processorAt = indexOf(text, 'class SecurityMonitoringApiResponseProcessor ', API, factoryAt);
  const apiAt = indexOf(text, 'class SecurityMonitoringApi ', API, processorAt);
  // Each class ends with a "}" alone on its line, before the next class's export line.
  const factory = pieces(text, METHOD, factoryAt, text.lastIndexOf('\n}', processorAt));
  const processor = pieces(text, METHOD, processorAt, text.lastIndexOf('\n}', apiAt));

  // A method whose first line the pattern missed would hide in its neighbour's piece, or before the first.
  const mentions = occurrences(text.slice(factoryAt, processorAt), `"${DATADOG_PATH}`);
  const selected = [...factory].filter(([, piece]) => piece.includes(`"${DATADOG_PATH}`));
  if (selected.reduce((n, [, piece]) => n + occurrences(piece, `"${DATADOG_PATH}`), 0) !== mentions) {
    throw new Error(`${API}: a request factory method under ${DATADOG_PATH} does not start the way the drift check reads`);
  }
  const operations: Record<string, Operation> = {};
  for (const [name, piece] of selected) {
    const responses = processor.get(name);
    if (!responses) throw new Error(`${API}: no response processor for ${name}`);
    operations[name] = { ...requestOf(classMember(piece, name, API)), responses: responsesOf(classMember(responses, name, API)) };
  }
  if (Object.keys(operations).length === 0) throw new Error(`${API}: no operation under ${DATADOG_PATH}`);

  // The client refuses an unstable operation unless its flag is set; the flags a configuration has are
  // the keys of one object literal in configuration.js.
  const flags = new Set(findAll(parse(files.text(CONFIGURATION), 'configuration.js'), ts.isPropertyAssignment)
    .map((p) => nameOf(p.name) ?? '').filter((k) => /^v\d\.\w+$/.test(k)));
  for (const [name, op] of Object.entries(operations)) {
    if (op.unstable && !flags.has(`v2.${name}`)) throw new Error(`${CONFIGURATION}: no unstable-operation flag v2.${name}`);
  }

  const contract: ClientContract = { client: DATADOG_CLIENT, version: files.version(), operations, models: {}, enums: {}, unions: {}, prefixes: [] };
  const types = Object.values(operations).flatMap((op) => [
    ...Object.values(op.params).map((p) => p.type), ...(op.body ? [op.body.type] : []), ...Object.values(op.responses),
  ]);
  for (const type of types) if (type) reach(type, contract, files);
  return { contract, files: [...files.read] };
}

/** Method, path, parameters, body and unstable flag, from a request factory method. */
function requestOf(method: ts.MethodDeclaration): Omit<Operation, 'responses'> {
  const name = nameOf(method.name) as string;
  const args = method.parameters.map((p) => nameOf(p.name) as string).filter((a) => a !== '_options');
  const calls = findAll(method, ts.isCallExpression);
  const required = new Set(findAll(method, ts.isNewExpression)
    .filter((n) => ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'RequiredError')
    .map((n) => (n.arguments?.[0] && ts.isStringLiteral(n.arguments[0]) ? n.arguments[0].text : '')));
  const paramOf = (arg: string | undefined, where: Param['in'], wire: string, type: TypeRef): [string, Param] => {
    if (!arg || !args.includes(arg)) throw new Error(`${API}: ${name} sends ${where} ${wire} from no parameter`);
    return [`${where} ${where === 'header' ? wire.toLowerCase() : wire}`, { in: where, name: wire, type, required: required.has(arg) }];
  };
  const argIn = (node: ts.Node) => [...identifiers(node)].find((id) => args.includes(id));

  const context = calls.find((c) => calleeName(c) === 'makeRequestContext');
  const verb = context?.arguments[1];
  if (!verb || !ts.isPropertyAccessExpression(verb)) throw new Error(`${API}: ${name} makes no request context`);
  const pathDecl = findAll(method, ts.isVariableDeclaration).find((d) => nameOf(d.name) === 'localVarPath');
  const literal = pathDecl?.initializer && findAll(pathDecl.initializer, ts.isStringLiteral)[0];
  if (!literal) throw new Error(`${API}: ${name} has no path`);

  const params: Record<string, Param> = {};
  const add = ([key, param]: [string, Param]) => { params[key] = param; };
  // "/…/{integration_config_id}".replace("{integration_config_id}", encodeURIComponent(String(integrationConfigId)))
  for (const call of findAll(pathDecl, ts.isCallExpression).filter((c) => calleeName(c) === 'replace')) {
    add(paramOf(argIn(call.arguments[1]), 'path', (stringArg(call, 0) ?? '').replace(/^\{|\}$/g, ''), 'string'));
  }
  let body: Operation['body'];
  for (const call of calls) {
    const callee = calleeName(call);
    // requestContext.setQueryParam("filter[integration_type]", ObjectSerializer.serialize(filterIntegrationType, "SecurityMonitoringIntegrationType", ""), "")
    if (callee === 'setQueryParam' || callee === 'setHeaderParam') {
      const value = call.arguments[1];
      const arg = value && argIn(value);
      if (!arg) continue; // Accept, Content-Type, the IaC header: the client's own, not the operation's
      const serialize = value && ts.isCallExpression(value) && calleeName(value) === 'serialize' ? stringArg(value, 1) : undefined;
      add(paramOf(arg, callee === 'setQueryParam' ? 'query' : 'header', stringArg(call, 0) ?? '', serialize ?? 'string'));
    }
    // ObjectSerializer.stringify(ObjectSerializer.serialize(body, "SecurityMonitoringIntegrationConfigCreateRequest", ""), contentType)
    if (callee === 'stringify' && call.arguments[0] && ts.isCallExpression(call.arguments[0])) {
      const serialize = call.arguments[0];
      const arg = argIn(serialize.arguments[0]);
      const media = calls.find((c) => calleeName(c) === 'getPreferredMediaType')?.arguments[0];
      const contentType = media && ts.isArrayLiteralExpression(media) && ts.isStringLiteral(media.elements[0]) ? media.elements[0].text : undefined;
      const type = stringArg(serialize, 1);
      if (!arg || !type || !contentType) throw new Error(`${API}: ${name} has a body without its parameter, type or content type`);
      body = { type, required: required.has(arg), contentType };
    }
  }
  const unstable = findAll(method, ts.isElementAccessExpression)
    .some((e) => ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'unstableOperations');
  return { method: verb.name.text, path: literal.text, params, ...(body ? { body } : {}), ...(unstable ? { unstable } : {}) };
}

/** Each status a response processor method tells apart (`response.httpStatusCode === 200`), and what it deserializes. */
function responsesOf(method: ts.MethodDeclaration): Record<string, TypeRef | null> {
  const out: Record<string, TypeRef | null> = {};
  for (const branch of findAll(method, ts.isIfStatement)) {
    const statuses = findAll(branch.expression, ts.isBinaryExpression)
      .filter((b) => b.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken && ts.isPropertyAccessExpression(b.left)
        && b.left.name.text === 'httpStatusCode' && ts.isNumericLiteral(b.right))
      .map((b) => (b.right as ts.NumericLiteral).text);
    if (statuses.length === 0) continue;
    const read = findAll(branch.thenStatement, ts.isCallExpression).find((c) => calleeName(c) === 'deserialize');
    for (const status of statuses) out[status] = read ? stringArg(read, 1) ?? null : null;
  }
  if (Object.keys(out).length === 0) throw new Error(`${API}: the response processor of ${nameOf(method.name)} tells no status apart`);
  return out;
}

/** Names a type refers to: `Array<X>` and `{ [key: string]: X; }` refer to X. */
function referencedName(type: TypeRef): string | undefined {
  const inner = /^Array<(.+)>$/.exec(type)?.[1] ?? /^\{ \[key: string\]: (.+); \}$/.exec(type)?.[1];
  if (inner) return referencedName(inner);
  return /^(string|number|boolean|Date|any|object)$/.test(type) ? undefined : type;
}

/** Adds the model, enum or union `type` names, and all it reaches, to the contract. */
function reach(type: TypeRef, contract: ClientContract, files: PackageFiles): void {
  const name = referencedName(type);
  if (!name || [contract.models, contract.enums, contract.unions].some((known) => Object.hasOwn(known, name))) return;
  const module = files.load(`${V2}/models/${name}.js`);
  const cls = module[name] as { attributeTypeMap?: Record<string, AttributeType> } | undefined;
  if (cls?.attributeTypeMap) {
    const model: Model = { fields: {} };
    contract.models[name] = model;
    for (const [key, a] of Object.entries(cls.attributeTypeMap)) {
      if (key === 'additionalProperties') continue; // the model keeps unknown fields: not a field of its own
      const field: Field = { type: a.type, required: a.required === true, ...(a.format ? { format: a.format } : {}) };
      model.fields[a.baseName] = field;
      reach(a.type, contract, files);
    }
    return;
  }
  const constants = Object.entries(module).filter(([k, v]) => k !== '__esModule' && typeof v === 'string').map(([, v]) => v as string);
  if (constants.length > 0) {
    contract.enums[name] = constants;
    return;
  }
  // A oneOf type has no runtime module of its own: `export declare type X = A | B | UnparsedObject;`
  const file = `${V2}/models/${name}.d.ts`;
  const alias = parse(files.text(file), file).statements.find(ts.isTypeAliasDeclaration);
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error(`${file}: ${name} is neither a model, an enum nor a union`);
  const variants = alias.type.types.filter(ts.isTypeReferenceNode).map((t) => nameOf(t.typeName) ?? '')
    .filter((v) => v !== 'UnparsedObject');
  contract.unions[name] = variants;
  for (const v of variants) reach(v, contract, files);
}
