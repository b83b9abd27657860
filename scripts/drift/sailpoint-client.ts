// The contract of sailpoint-api-client for the endpoints syncmock emulates, read from the package: its API
// versions (dist/index.d.ts) and the prefix each adds to the base URL (base.js); in each version, every
// operation on an attribute-sync-config path from the API's axios parameter creator (api.js: method, path,
// headers, body), the parameters' types and the answer's type from api.d.ts, and every model and enum
// they reach from api.d.ts with the TypeScript compiler; the token request from configuration.js (its form
// fields and what it reads of the answer), where the client keeps it rather than in a model.
import { ts } from '@ts-morph/common';
import {
  PackageFiles, calleeName, declarationText, findAll, identifiers, indexOf, nameOf, objectMember, occurrences, parse, pieces, statement, stringArg,
} from './client-source';
import type { ClientContract, Field, Model, Operation, Param, TypeRef } from './contract';

export const SAILPOINT_CLIENT = 'sailpoint-api-client';
/** The endpoints syncmock emulates: every operation whose path ends so is read. */
export const SAILPOINT_PATH = '/attribute-sync-config';
/** The client's name for its token request, which is no operation of an API class. */
export const TOKEN_OPERATION = 'Configuration.getAccessToken';

/** A property of the parameter creator's object, as tsc writes it: eight spaces, the name, a function. */
const PROPERTY = /^ {8}(\w+): function \(([\w, ]*)\) \{$/;

/** The client's contract for the emulated endpoints, from the package installed at `root`. */
export function readSailpointClient(root: string): { contract: ClientContract; files: string[] } {
  const files = new PackageFiles(root);
  const contract: ClientContract = { client: SAILPOINT_CLIENT, version: files.version(), operations: {}, models: {}, enums: {}, unions: {}, prefixes: [] };
  const index = parse(files.text('dist/index.d.ts'), 'index.d.ts');
  const versions = index.statements.filter(ts.isExportDeclaration)
    .map((e) => (e.moduleSpecifier && ts.isStringLiteral(e.moduleSpecifier) ? /^\.\/(\w+)\/api$/.exec(e.moduleSpecifier.text)?.[1] : undefined))
    .filter((v): v is string => v !== undefined);
  if (versions.length === 0) throw new Error('dist/index.d.ts exports no API version');
  for (const version of versions) readVersion(version, contract, files);
  readTokenRequest(contract, files);
  return { contract, files: [...files.read] };
}

/** One API version: its prefix, and its operations on the emulated paths with the models they reach. */
function readVersion(version: string, contract: ClientContract, files: PackageFiles): void {
  const base = `dist/${version}/base.js`;
  // this.basePath = configuration.basePath + "/beta" || this.basePath;
  const prefix = findAll(parse(files.text(base), 'base.js'), ts.isBinaryExpression)
    .find((b) => b.operatorToken.kind === ts.SyntaxKind.PlusToken && ts.isPropertyAccessExpression(b.left) && b.left.name.text === 'basePath' && ts.isStringLiteral(b.right));
  if (!prefix) throw new Error(`${base}: no prefix added to the base path`);
  const prefixText = (prefix.right as ts.StringLiteral).text;
  contract.prefixes.push(prefixText);

  const js = `dist/${version}/api.js`;
  const bytes = files.bytes(js);
  const apis = new Set<string>();
  for (let at = bytes.indexOf(`${SAILPOINT_PATH}"`); at >= 0; at = bytes.indexOf(`${SAILPOINT_PATH}"`, at + 1)) {
    // var SourcesBetaApiAxiosParamCreator = function (configuration) {
    const line = bytes.lastIndexOf('\nvar ', bytes.lastIndexOf('AxiosParamCreator = function (configuration) {', at)) + 1;
    const creator = /^var (\w+)AxiosParamCreator = function \(configuration\) \{$/m.exec(bytes.toString('latin1', line, bytes.indexOf('\n', line)));
    if (line === 0 || !creator) throw new Error(`${js}: the path at byte ${at} is in no parameter creator`);
    apis.add(creator[1]);
  }
  if (apis.size === 0) return;
  const declarations = new Declarations(files, `dist/${version}/api.d.ts`);
  for (const api of apis) {
    const start = indexOf(bytes, `var ${api}AxiosParamCreator = function (configuration) {`, js);
    // The creator returns one object literal: its last property ends before the "};" closing it.
    const end = bytes.lastIndexOf('\n    };', indexOf(bytes, `exports.${api}AxiosParamCreator = `, js, start));
    const text = bytes.toString('latin1', start, end);
    // A function whose first line the pattern missed would hide in its neighbour's piece, or before the first.
    const selected = [...pieces(text, PROPERTY)].filter(([, piece]) => piece.includes(`${SAILPOINT_PATH}"`));
    if (selected.reduce((n, [, piece]) => n + occurrences(piece, `${SAILPOINT_PATH}"`), 0) !== occurrences(text, `${SAILPOINT_PATH}"`)) {
      throw new Error(`${js}: a function of ${api}AxiosParamCreator does not start the way the drift check reads`);
    }
    for (const [name, piece] of selected) {
      const op = requestOf(objectMember(piece, name, js), declarations.signature(api, name), `${js} ${api}.${name}`);
      const answer = declarations.answer(api, name);
      contract.operations[`${version}.${name}`] = { ...op, path: `${prefixText}${op.path}`, responses: { '2xx': answer } };
      for (const type of [answer, ...Object.values(op.params).map((p) => p.type), ...(op.body ? [op.body.type] : [])]) declarations.reach(type, contract);
    }
  }
}

/** A parameter creator's function's parameter types, by name. */
type Signature = Map<string, TypeRef>;

/** Method, path, parameters and body, from a parameter creator's function. */
function requestOf(fn: ts.FunctionExpression, signature: Signature | undefined, where: string): Omit<Operation, 'responses'> {
  if (!signature) throw new Error(`${where}: not declared in api.d.ts`);
  const args = fn.parameters.map((p) => nameOf(p.name) as string).filter((a) => a !== 'axiosOptions');
  const argIn = (node: ts.Node) => [...identifiers(node)].find((id) => args.includes(id));
  const calls = findAll(fn, ts.isCallExpression);
  // (0, common_1.assertParamExists)('putSourceAttrSyncConfig', 'id', id)
  const required = new Set(calls.filter((c) => calleeName(c) === 'assertParamExists').map((c) => stringArg(c, 1)));
  const defaults = new Map<string, string>();
  const params: Record<string, Param> = {};
  const add = (arg: string | undefined, into: Param['in'], wire: string) => {
    const type = arg && signature.get(arg);
    if (!arg || !type) throw new Error(`${where}: sends ${into} ${wire} from no declared parameter`);
    const dflt = defaults.get(arg);
    params[`${into} ${into === 'header' ? wire.toLowerCase() : wire}`] = {
      in: into, name: wire, type, required: required.has(arg) || dflt !== undefined, ...(dflt !== undefined ? { default: dflt } : {}),
    };
  };
  let path: string | undefined;
  let method: string | undefined;
  let contentType: string | undefined;
  let bodyArg: string | undefined;
  for (const node of findAll(fn, (n): n is ts.Node => ts.isIfStatement(n) || ts.isBinaryExpression(n) || ts.isPropertyAssignment(n) || ts.isCallExpression(n))) {
    // if (xSailPointExperimental === undefined) { xSailPointExperimental = 'true'; }
    if (ts.isIfStatement(node)) {
      const test = node.expression;
      if (!ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken || !ts.isIdentifier(test.left)
        || !ts.isIdentifier(test.right) || test.right.text !== 'undefined') continue;
      const arg = test.left.text;
      const set = findAll(node.thenStatement, ts.isBinaryExpression).find((b) => ts.isIdentifier(b.left) && b.left.text === arg && ts.isStringLiteral(b.right));
      if (set) defaults.set(arg, (set.right as ts.StringLiteral).text);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      // localVarPath = "/sources/{id}/attribute-sync-config".replace("{".concat("id", "}"), encodeURIComponent(String(id)));
      if (ts.isIdentifier(target) && target.text === 'localVarPath') {
        path = findAll(node.right, ts.isStringLiteral)[0]?.text;
        for (const call of findAll(node.right, ts.isCallExpression).filter((c) => calleeName(c) === 'replace')) {
          const placeholder = call.arguments[0];
          const wire = placeholder && ts.isCallExpression(placeholder) ? stringArg(placeholder, 0) : placeholder && ts.isStringLiteral(placeholder) ? placeholder.text.replace(/^\{|\}$/g, '') : undefined;
          add(argIn(call.arguments[1]), 'path', wire ?? '');
        }
      }
      // localVarHeaderParameter['X-SailPoint-Experimental'] = String(xSailPointExperimental); localVarQueryParameter['x'] = x;
      if (ts.isElementAccessExpression(target) && ts.isIdentifier(target.expression) && ts.isStringLiteral(target.argumentExpression)) {
        const wire = target.argumentExpression.text;
        const into = target.expression.text === 'localVarHeaderParameter' ? 'header' : target.expression.text === 'localVarQueryParameter' ? 'query' : undefined;
        const arg = argIn(node.right);
        if (into === 'header' && wire.toLowerCase() === 'content-type' && ts.isStringLiteral(node.right)) contentType = node.right.text;
        else if (into && arg) add(arg, into, wire);
      }
    } else if (ts.isPropertyAssignment(node) && nameOf(node.name) === 'method' && ts.isStringLiteral(node.initializer)) {
      method = node.initializer.text;
    } else if (ts.isCallExpression(node) && calleeName(node) === 'serializeDataIfNeeded') {
      bodyArg = argIn(node.arguments[0]);
    }
  }
  if (!path || !method) throw new Error(`${where}: no path or method`);
  let body: Operation['body'];
  if (bodyArg) {
    const type = signature.get(bodyArg);
    if (!type) throw new Error(`${where}: the body ${bodyArg} is not declared`);
    body = { type, required: required.has(bodyArg), contentType: contentType ?? 'application/json' };
  }
  return { method, path, params, ...(body ? { body } : {}) };
}

/** An api.d.ts, each top-level declaration found and parsed when first needed. */
class Declarations {
  private readonly parsed = new Map<string, ts.Statement | undefined>();
  private readonly bytes: Buffer;

  constructor(files: PackageFiles, private readonly file: string) {
    this.bytes = files.bytes(file);
  }

  get(kind: 'interface' | 'type' | 'const' | 'class', name: string): ts.Statement | undefined {
    const key = `${kind} ${name}`;
    if (!this.parsed.has(key)) {
      const headers = {
        interface: [`export interface ${name} {`, `export interface ${name} extends `],
        type: [`export type ${name} =`],
        const: [`export declare const ${name}:`],
        class: [`export declare class ${name} `],
      }[kind];
      const piece = headers.map((h) => declarationText(this.bytes, h)).find((p) => p !== undefined);
      this.parsed.set(key, piece === undefined ? undefined : statement(piece, name, this.file));
    }
    return this.parsed.get(key);
  }

  /** A parameter creator's function's parameters, from `export declare const XAxiosParamCreator: (configuration?) => { name: (id: string, …) => …; }`. */
  signature(api: string, name: string): Signature | undefined {
    const decl = this.get('const', `${api}AxiosParamCreator`);
    const type = decl && ts.isVariableStatement(decl) ? decl.declarationList.declarations[0].type : undefined;
    if (!type || !ts.isFunctionTypeNode(type) || !ts.isTypeLiteralNode(type.type)) throw new Error(`${this.file}: ${api}AxiosParamCreator is not declared as a function returning its operations`);
    const member = type.type.members.find((m) => nameOf(m.name) === name);
    if (!member || !ts.isPropertySignature(member) || !member.type || !ts.isFunctionTypeNode(member.type)) return undefined;
    return new Map(member.type.parameters.filter((p) => p.type).map((p) => {
      const { type: t, nullable } = this.typeRef(p.type as ts.TypeNode);
      return [nameOf(p.name) as string, nullable ? `${t} | null` : t];
    }));
  }

  /** What an API class's method answers: `AxiosPromise<X>` or `Promise<AxiosResponse<X, any>>`. */
  answer(api: string, name: string): TypeRef {
    const cls = this.get('class', api);
    const method = cls && ts.isClassDeclaration(cls) ? cls.members.find((m) => ts.isMethodDeclaration(m) && nameOf(m.name) === name) as ts.MethodDeclaration | undefined : undefined;
    // Promise<import("axios").AxiosResponse<X, any>> in the class, AxiosPromise<X> in its interface
    const wrapper = method?.type && findAll(method.type, (n): n is ts.TypeReferenceNode | ts.ImportTypeNode =>
      (ts.isTypeReferenceNode(n) && /^Axios(Promise|Response)$/.test(nameOf(n.typeName) ?? ''))
      || (ts.isImportTypeNode(n) && /^Axios(Promise|Response)$/.test(nameOf(n.qualifier) ?? '')))[0];
    const answer = wrapper?.typeArguments?.[0];
    if (!answer) throw new Error(`${this.file}: ${api}.${name} answers no declared type`);
    return this.typeRef(answer).type;
  }

  /** A declared type as the contract writes it, with `| null` taken off as a flag. */
  typeRef(node: ts.TypeNode): { type: TypeRef; nullable: boolean } {
    if (ts.isParenthesizedTypeNode(node)) return this.typeRef(node.type);
    if (ts.isUnionTypeNode(node)) {
      const isNull = (t: ts.TypeNode) => ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword;
      const rest = node.types.filter((t) => !isNull(t) && t.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (rest.length === 1) return { type: this.typeRef(rest[0]).type, nullable: node.types.some(isNull) };
    }
    const keyword: Partial<Record<ts.SyntaxKind, TypeRef>> = {
      [ts.SyntaxKind.StringKeyword]: 'string', [ts.SyntaxKind.NumberKeyword]: 'number', [ts.SyntaxKind.BooleanKeyword]: 'boolean',
      [ts.SyntaxKind.AnyKeyword]: 'any', [ts.SyntaxKind.UnknownKeyword]: 'any', [ts.SyntaxKind.ObjectKeyword]: '{ [key: string]: any; }',
    };
    const word = keyword[node.kind];
    if (word) return { type: word, nullable: false };
    if (ts.isArrayTypeNode(node)) return { type: `Array<${this.typeRef(node.elementType).type}>`, nullable: false };
    if (ts.isTypeReferenceNode(node)) {
      const name = nameOf(node.typeName);
      const args = node.typeArguments ?? [];
      if ((name === 'Array' || name === 'Set') && args.length === 1) return { type: `Array<${this.typeRef(args[0]).type}>`, nullable: false };
      if (name && args.length === 0) return { type: name, nullable: false };
    }
    if (ts.isTypeLiteralNode(node) && node.members.length === 1 && ts.isIndexSignatureDeclaration(node.members[0]) && node.members[0].type) {
      return { type: `{ [key: string]: ${this.typeRef(node.members[0].type).type}; }`, nullable: false };
    }
    throw new Error(`${this.file}: a type the drift check does not read: ${node.getText()} (${ts.SyntaxKind[node.kind]}, in ${node.parent?.getText().slice(0, 200)})`);
  }

  /** Adds the interface or enum `type` names, and all it reaches, to the contract. */
  reach(type: TypeRef, contract: ClientContract): void {
    const name = /^(?:Array<)*(?:\{ \[key: string\]: )?(\w+)/.exec(type.replace(/ \| null$/, ''))?.[1];
    if (!name || /^(string|number|boolean|any)$/.test(name) || [contract.models, contract.enums, contract.unions].some((known) => Object.hasOwn(known, name))) return;
    const iface = this.get('interface', name);
    if (iface && ts.isInterfaceDeclaration(iface)) {
      const model: Model = { fields: {} };
      contract.models[name] = model;
      const inherited = (iface.heritageClauses ?? []).flatMap((h) => h.types.map((t) => nameOf(t.expression) ?? ''));
      for (const parent of inherited) {
        this.reach(parent, contract);
        Object.assign(model.fields, contract.models[parent]?.fields);
      }
      for (const member of iface.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const { type: t, nullable } = this.typeRef(member.type);
        const field: Field = { type: t, required: !member.questionToken, ...(nullable ? { nullable } : {}) };
        model.fields[nameOf(member.name) as string] = field;
        this.reach(t, contract);
      }
      return;
    }
    const alias = this.get('type', name);
    if (alias && ts.isTypeAliasDeclaration(alias)) {
      // export type XTypeBeta = typeof XTypeBeta[keyof typeof XTypeBeta]; with export declare const XTypeBeta: { readonly Source: "SOURCE"; };
      const values = this.get('const', name);
      const literal = values && ts.isVariableStatement(values) ? values.declarationList.declarations[0].type : undefined;
      if (ts.isIndexedAccessTypeNode(alias.type) && literal && ts.isTypeLiteralNode(literal)) {
        contract.enums[name] = literal.members.filter(ts.isPropertySignature)
          .map((m) => (m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined))
          .filter((v): v is string => v !== undefined);
        return;
      }
      if (ts.isUnionTypeNode(alias.type) && alias.type.types.every(ts.isTypeReferenceNode)) {
        contract.unions[name] = alias.type.types.map((t) => nameOf((t as ts.TypeReferenceNode).typeName) as string);
        for (const v of contract.unions[name]) this.reach(v, contract);
        return;
      }
    }
    throw new Error(`${this.file}: ${name} is neither an interface, an enum nor a union of interfaces`);
  }
}

/**
 * The token request, from configuration.js: the client posts a form-data body of literal fields to the
 * base URL's token path and reads fields of the answer's `data`. Recorded as one operation whose body and
 * answer are models named after it; the answer model is partial (the client reads only these fields).
 */
function readTokenRequest(contract: ClientContract, files: PackageFiles): void {
  const file = 'dist/configuration.js';
  const source = parse(files.text(file), 'configuration.js');
  const calls = findAll(source, ts.isCallExpression);
  // var form_data_1 = __importDefault(require("form-data")); … var formData = new form_data_1.default();
  const formModule = findAll(source, ts.isVariableDeclaration)
    .find((d) => d.initializer && findAll(d.initializer, ts.isCallExpression).some((c) => calleeName(c) === 'require' && stringArg(c, 0) === 'form-data'));
  const formVars = findAll(source, ts.isVariableDeclaration)
    .filter((d) => d.initializer && ts.isNewExpression(d.initializer) && formModule && identifiers(d.initializer.expression).has(nameOf(formModule.name) as string))
    .map((d) => nameOf(d.name) as string);
  const appends = calls.filter((c) => calleeName(c) === 'append' && ts.isPropertyAccessExpression(c.expression)
    && ts.isIdentifier(c.expression.expression) && formVars.includes(c.expression.expression.text));
  if (appends.length === 0) throw new Error(`${file}: no form-data token request`);
  const request: Model = { fields: {} };
  for (const call of appends) {
    const field = stringArg(call, 0) as string;
    const value = stringArg(call, 1);
    // A literal value (grant_type) is the one value the client sends: an enum of one.
    if (value !== undefined) contract.enums[`${TOKEN_OPERATION} ${field}`] = [value];
    request.fields[field] = { type: value !== undefined ? `${TOKEN_OPERATION} ${field}` : 'string', required: true };
  }
  // config.tokenUrl = config.baseurl + "/oauth/token";
  const paths = [...new Set(findAll(source, ts.isStringLiteral).map((s) => s.text).filter((s) => /^\/oauth\//.test(s)))];
  if (paths.length !== 1) throw new Error(`${file}: ${paths.length} token paths (${paths.join(', ')})`);
  const post = calls.find((c) => calleeName(c) === 'post' && c.arguments.some((a) => ts.isIdentifier(a) && formVars.includes(a.text)));
  if (!post) throw new Error(`${file}: the token form is not posted`);
  // _a = _b.sent(), data = _a.data; … return data.access_token;   (or const { data } = await axios.post(…))
  const dataVars = new Set([
    ...findAll(source, ts.isBinaryExpression).filter((b) => b.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(b.left)
      && ts.isPropertyAccessExpression(b.right) && b.right.name.text === 'data').map((b) => (b.left as ts.Identifier).text),
    ...findAll(source, ts.isBindingElement).filter((b) => nameOf(b.propertyName ?? b.name) === 'data').map((b) => nameOf(b.name) as string),
  ]);
  const reads = [...new Set(findAll(source, ts.isPropertyAccessExpression)
    .filter((p) => ts.isIdentifier(p.expression) && dataVars.has(p.expression.text)).map((p) => p.name.text))];
  if (reads.length === 0) throw new Error(`${file}: the token answer is never read`);
  contract.models[`${TOKEN_OPERATION} request`] = request;
  contract.models[`${TOKEN_OPERATION} answer`] = { fields: Object.fromEntries(reads.map((r) => [r, { type: 'string', required: true }])), partial: true };
  contract.operations[TOKEN_OPERATION] = {
    method: (calleeName(post) as string).toUpperCase(), path: paths[0], params: {},
    body: { type: `${TOKEN_OPERATION} request`, required: true, contentType: 'multipart/form-data' },
    responses: { '2xx': `${TOKEN_OPERATION} answer` },
  };
}
