// Reading the clients' generated sources with the TypeScript compiler's parser: the copy inside
// @ts-morph/common (TypeScript 6), since the native TypeScript 7 that builds syncmock ships no JavaScript API
// (a second `typescript` package would also fight it for the `tsc` command). The files are large (the
// SailPoint .d.ts files 3-4 MB each, Datadog's SecurityMonitoringApi.js 0.9 MB) and a full parse of them
// costs about 1.5 s of CPU, so each is cut first into the declarations the generators write at a fixed
// indentation (top level, class members at 4 spaces), and only the pieces the emulated endpoints need are
// parsed. A piece that does not parse into the one declaration it should be is an error, never a guess.
import fs from 'node:fs';
import path from 'node:path';
import { ts } from '@ts-morph/common';

/**
 * The files of one installed client package, read once each, and the list of what was read. Text is
 * latin1, so that a byte offset is a character offset and only the parts needed are decoded: decoding the
 * SailPoint files whole (22 MB) costs half a second, and what is read of them (names, paths, literals) is
 * ASCII; other characters occur only in comments.
 */
export class PackageFiles {
  readonly read = new Set<string>();
  private readonly files = new Map<string, Buffer>();

  constructor(readonly root: string) {
    this.root = path.resolve(root);
  }

  /** A file's bytes, by its path in the package. */
  bytes(file: string): Buffer {
    let bytes = this.files.get(file);
    if (bytes === undefined) {
      bytes = fs.readFileSync(path.join(this.root, file));
      this.files.set(file, bytes);
      this.read.add(file);
    }
    return bytes;
  }

  /** A file's text, whole. */
  text(file: string): string {
    return this.bytes(file).toString('latin1');
  }

  /** A CommonJS module of the package, loaded (only modules that load nothing else, as model modules). */
  load(file: string): Record<string, unknown> {
    this.read.add(file);
    return require(path.join(this.root, file)) as Record<string, unknown>;
  }

  version(): string {
    return (JSON.parse(this.text('package.json')) as { version: string }).version;
  }
}

/** Parses TypeScript or JavaScript, without JSDoc (which the clients' files are mostly made of); nodes know their parents, so errors can quote them. */
export function parse(text: string, fileName = 'piece.ts'): ts.SourceFile {
  return ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true);
}

/**
 * Pieces of a text that each start at a line matching `header` (whose first group names the piece) and end
 * where the next begins, or at `end`. Nothing is parsed yet.
 */
export function pieces(text: string, header: RegExp, start = 0, end = text.length): Map<string, string> {
  const found: Array<{ name: string; at: number }> = [];
  const re = new RegExp(header.source, 'gm');
  re.lastIndex = start;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) found.push({ name: m[1], at: m.index });
  const out = new Map<string, string>();
  found.forEach(({ name, at }, i) => {
    if (!out.has(name)) out.set(name, text.slice(at, i + 1 < found.length ? found[i + 1].at : end));
  });
  return out;
}

/**
 * A top-level declaration of a .d.ts by its first words (`export interface X {`, `export declare const
 * X:`), up to the next top-level `export`, or undefined when there is none.
 */
export function declarationText(bytes: Buffer, header: string): string | undefined {
  const at = bytes.indexOf(`\n${header}`) + 1; // a .d.ts opens with its imports, never with a declaration
  if (at === 0) return undefined;
  const next = bytes.indexOf('\nexport ', at + header.length);
  return bytes.toString('latin1', at, next < 0 ? bytes.length : next);
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n += 1;
  return n;
}

/** Where `needle` is in `text` (a string or a file's bytes), or an error naming what was looked for in which file. */
export function indexOf(text: string | Buffer, needle: string, file: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${file}: '${needle}' not found: the client's generated code has changed shape`);
  return at;
}

/** A class member cut out by `pieces`, parsed inside a class of its own. */
export function classMember(piece: string, name: string, file: string): ts.MethodDeclaration {
  const source = parse(`class Piece {\n${piece}\n}`, 'piece.js');
  const cls = source.statements[0];
  const member = cls && ts.isClassDeclaration(cls) && source.statements.length === 1 && cls.members.length === 1 ? cls.members[0] : undefined;
  if (!member || !ts.isMethodDeclaration(member) || nameOf(member.name) !== name) {
    throw new Error(`${file}: the method ${name} did not parse as one method`);
  }
  return member;
}

/** An object literal's property cut out by `pieces` (`name: function (…) {…},`), parsed inside an object of its own. */
export function objectMember(piece: string, name: string, file: string): ts.FunctionExpression {
  const source = parse(`({\n${piece}\n});`, 'piece.js');
  const first = source.statements[0];
  const object = first && ts.isExpressionStatement(first) && ts.isParenthesizedExpression(first.expression) ? first.expression.expression : undefined;
  const member = object && ts.isObjectLiteralExpression(object) && source.statements.length === 1 && object.properties.length === 1 ? object.properties[0] : undefined;
  if (!member || !ts.isPropertyAssignment(member) || nameOf(member.name) !== name || !ts.isFunctionExpression(member.initializer)) {
    throw new Error(`${file}: the function ${name} did not parse as one property`);
  }
  return member.initializer;
}

/** A top-level declaration cut out by `pieces`, parsed alone. */
export function statement(piece: string, name: string, file: string): ts.Statement {
  const source = parse(piece, file.endsWith('.js') ? 'piece.js' : 'piece.ts');
  const [first] = source.statements;
  const declared = first && ts.isVariableStatement(first) ? first.declarationList.declarations[0]?.name
    : first && (ts.isInterfaceDeclaration(first) || ts.isTypeAliasDeclaration(first) || ts.isClassDeclaration(first) || ts.isEnumDeclaration(first)) ? first.name : undefined;
  if (!first || nameOf(declared) !== name) throw new Error(`${file}: the declaration ${name} did not parse as one declaration`);
  return first;
}

/** The text of an identifier, a string literal or a quoted property name. */
export function nameOf(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isIdentifier(node) || ts.isStringLiteral(node) || ts.isPrivateIdentifier(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** Every node under `node` (itself included) that passes `test`, in source order. */
export function findAll<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node) => {
    if (test(n)) out.push(n);
    n.forEachChild(visit);
  };
  visit(node);
  return out;
}

/** A call's callee name: `a.b.c(...)` is `c`, `f(...)` is `f`, `(0, m.f)(...)` is `f`. */
export function calleeName(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) {
    const inner: ts.Expression = callee.expression;
    callee = ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.CommaToken ? inner.right : inner;
  }
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

/** The string value of a literal argument, if it is one. */
export function stringArg(call: ts.CallExpression, i: number): string | undefined {
  const arg = call.arguments[i];
  return arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
}

/** The identifiers an expression mentions. */
export function identifiers(node: ts.Node): Set<string> {
  return new Set(findAll(node, ts.isIdentifier).map((id) => id.text));
}
