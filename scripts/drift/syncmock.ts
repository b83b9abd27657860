// The clients' contracts against what syncmock serves: its OpenAPI documents (built from the same JSON
// Schemas it validates requests with, and listing every route it serves: test/docs/openapi.test.ts) and
// its revisions, from a server started for the purpose. Differences syncmock makes on purpose are listed,
// each with its reason and the README section that documents it, in deliberate.json; any other fails.
import fs from 'node:fs';
import path from 'node:path';
import { startSyncmock } from '../../src/index';
import { clientOperations, compareOperations, documentOperations, type Difference, type OpenApiDocument } from './compare';
import type { ClientContract } from './contract';

/** A difference syncmock makes on purpose. `where` may hold `*` (any text); `client` and `syncmock`, when given, must match too. */
export interface Deliberate {
  kind: Difference['kind'];
  where: string;
  client?: string;
  syncmock?: string;
  reason: string;
  /** The README section that documents it: `#anchor`. */
  readme: string;
}

export interface DeliberateFile {
  /** The Datadog revision the client (generated from Datadog's newest spec) is compared with. */
  datadogRevision: string;
  /** Revisions syncmock serves that are not compared, and why. */
  revisionsNotCompared: Array<{ revision: string; reason: string; readme: string }>;
  differences: Deliberate[];
}

export const DELIBERATE_FILE = path.join(__dirname, 'deliberate.json');

export function readDeliberate(file = DELIBERATE_FILE): DeliberateFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DeliberateFile;
}

/** What syncmock serves: its Datadog revisions and its OpenAPI documents, by name (`datadog-2026-08`, `sailpoint`). */
export interface Served {
  revisions: string[];
  documents: Record<string, OpenApiDocument>;
}

/** Starts syncmock (free port, in-memory store), reads its revisions and documents over HTTP, stops it. */
export async function servedBySyncmock(): Promise<Served> {
  const syncmock = await startSyncmock({ logLevel: 'error' });
  try {
    const get = async (p: string) => {
      const res = await fetch(`${syncmock.url}${p}`);
      if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
      return res.json() as Promise<unknown>;
    };
    const health = await get('/__admin/health') as { datadog: { revisions: string[] } };
    const names = [...health.datadog.revisions.map((r) => `datadog-${r}`), 'sailpoint'];
    const documents = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await get(`/openapi/${n}.json`)] as const)));
    return { revisions: health.datadog.revisions, documents: documents as Record<string, OpenApiDocument> };
  } finally {
    await syncmock.close();
  }
}

/** Every difference between the clients and what syncmock serves: Datadog's with the compared revision, SailPoint's with its document. */
export function compareWithSyncmock(clients: { datadog: ClientContract; sailpoint: ClientContract }, served: Served, deliberate: DeliberateFile): Difference[] {
  const doc = (name: string) => {
    const d = served.documents[name];
    if (!d) throw new Error(`syncmock serves no document ${name}`);
    return d;
  };
  return [
    ...compareOperations('datadog', clientOperations(clients.datadog), documentOperations(doc(`datadog-${deliberate.datadogRevision}`))),
    ...compareOperations('sailpoint', clientOperations(clients.sailpoint), documentOperations(doc('sailpoint'))),
  ];
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Whether a deliberate entry covers a difference. */
export function covers(entry: Deliberate, d: Difference): boolean {
  return entry.kind === d.kind && glob(entry.where).test(d.where)
    && (entry.client === undefined || entry.client === d.client) && (entry.syncmock === undefined || entry.syncmock === d.syncmock);
}

export interface Verdict {
  /** Differences no deliberate entry covers: each one fails the drift test. */
  undeclared: Difference[];
  /** Deliberate entries that cover no difference any more: stale, and failing too. */
  stale: Deliberate[];
  /** Revisions syncmock serves that are neither compared nor listed as not compared, and listed ones it does not serve. */
  revisions: string[];
  declared: number;
}

export function verdict(differences: Difference[], served: Served, deliberate: DeliberateFile): Verdict {
  const used = new Set<Deliberate>();
  const undeclared = differences.filter((d) => {
    const entry = deliberate.differences.find((e) => covers(e, d));
    if (entry) used.add(entry);
    return !entry;
  });
  const known = [deliberate.datadogRevision, ...deliberate.revisionsNotCompared.map((r) => r.revision)];
  return {
    undeclared,
    stale: deliberate.differences.filter((e) => !used.has(e)),
    revisions: [...served.revisions.filter((r) => !known.includes(r)).map((r) => `${r}: served, neither compared nor listed as not compared`),
      ...known.filter((r) => !served.revisions.includes(r)).map((r) => `${r}: listed, not served`)],
    declared: differences.length - undeclared.length,
  };
}
