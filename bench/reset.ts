// How long POST /__admin/reset takes, over HTTP, against a store holding 1,000 configs: the figure that
// says whether a suite can reset before every test. Run: node --import ./scripts/register-ts.mjs bench/reset.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSyncmock } from '../src/index';

const RUNS = 200;
const CONFIGS = 1000;

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${s[s.length - 1].toFixed(2)} ms`;
};

function stateWithConfigs(orgs: string[]): unknown {
  const perOrg = CONFIGS / orgs.length;
  return {
    datadog: {
      orgs: Object.fromEntries(orgs.map((org, o) => [org, {
        integration_configs: Array.from({ length: perOrg }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(o * perOrg + i).padStart(12, '0')}`,
          integration_type: 'OKTA', name: `config ${i}`, domain: 'example.okta.com', secrets: { api_token: 't' }, settings: { n: i },
        })),
      }])),
    },
  };
}

async function measure(label: string, db: string, orgs: string[], query: string): Promise<void> {
  const server = await startSyncmock({ db, logLevel: 'silent' });
  const post = (p: string, body?: unknown) => fetch(`${server.url}/__admin${p}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => { if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`); });
  const doc = stateWithConfigs(orgs);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await post('/state', doc);
    const start = process.hrtime.bigint();
    await post(`/reset${query}`);
    times.push(ms(start));
  }
  const idle: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await post(`/reset${query}`);
    idle.push(ms(start));
  }
  await server.close();
  console.log(`${label}\n  ${RUNS} resets, each after loading ${CONFIGS} configs: ${stats(times)}\n  ${RUNS} resets back to back:              ${stats(idle)}`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncmock-bench-'));
  try {
    const tenOrgs = Array.from({ length: 10 }, (_, i) => `bench-org-${i}`);
    await measure('full reset, in-memory store, 1,000 configs in 10 orgs', ':memory:', tenOrgs, '');
    await measure('full reset, SQLite file (WAL), 1,000 configs in 10 orgs', path.join(dir, 'a.db'), tenOrgs, '');
    await measure('one org (?org=), SQLite file (WAL), 1,000 configs in that org', path.join(dir, 'b.db'), ['bench-org'], '?org=bench-org');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
