// What the drift check found, for people: Markdown tables (`npm run drift`, fit for a CI job summary) and
// one line per difference (the drift test's failure messages).
import type { Difference } from './compare';
import type { Change, ClientContract } from './contract';
import type { Deliberate, Verdict } from './syncmock';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const cell = (text: string | undefined) => (text === undefined || text === '' ? '' : `\`${text.replace(/\|/g, '\\|').replace(/`/g, "'")}\``);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** A difference (or a deliberate entry, which has the same parts) on one line: what, where, and what each side has. */
export function differenceLine(d: Difference | Deliberate): string {
  return `${d.kind}: ${d.where}${d.client !== undefined ? `; the client: ${d.client}` : ''}${d.syncmock !== undefined ? `; syncmock: ${d.syncmock}` : ''}`;
}

export interface ClientDrift {
  pinned: ClientContract;
  newest: ClientContract;
  changes: Change[];
}

/** The changes since the pinned clients, then how syncmock compares with the newest ones. */
export function driftMarkdown(clients: ClientDrift[], syncmock: Verdict, deliberateFile: string): string {
  const out: string[] = ['## Vendor drift', '',
    'The newest published official clients against the versions this repository pins, and syncmock against the newest.', '',
    table(['client', 'pinned', 'newest', 'changes'], clients.map((c) => [cell(c.pinned.client), c.pinned.version, c.newest.version, c.changes.length ? `**${c.changes.length}**` : 'none']))];
  for (const c of clients.filter((x) => x.changes.length > 0)) {
    out.push('', `### ${cell(c.pinned.client)} ${c.pinned.version} → ${c.newest.version}`, '',
      table(['change', 'where', 'pinned', 'newest'], c.changes.map((x) => [x.change, cell(x.where), cell(x.pinned), cell(x.newest)])));
  }
  out.push('', '### syncmock against the newest clients', '');
  const clean = syncmock.undeclared.length === 0 && syncmock.stale.length === 0 && syncmock.revisions.length === 0;
  if (clean) out.push(`Nothing differs but the ${syncmock.declared} deliberate differences (${deliberateFile}).`);
  if (syncmock.undeclared.length) {
    out.push(`${count(syncmock.undeclared.length, 'difference', 'differences')} that no entry of ${deliberateFile} covers (the drift test fails on each):`, '',
      table(['difference', 'where', 'the client', 'syncmock'], syncmock.undeclared.map((d) => [d.kind, cell(d.where), cell(d.client), cell(d.syncmock)])));
  }
  if (syncmock.stale.length) {
    out.push('', `${count(syncmock.stale.length, 'entry', 'entries')} of ${deliberateFile} that cover nothing any more:`, '',
      table(['difference', 'where'], syncmock.stale.map((e) => [e.kind, cell(e.where)])));
  }
  if (syncmock.revisions.length) out.push('', ...syncmock.revisions.map((r) => `- revision ${r}`));
  const total = clients.reduce((n, c) => n + c.changes.length, 0);
  out.push('', total === 0
    ? '**No change since the pinned versions.**'
    : `**${count(total, 'change', 'changes')} since the pinned versions.** Follow them in syncmock's schemas (or list them in ${deliberateFile}), then move the pins (\`npm install --save-dev <client>@<newest>\`): the drift test then checks syncmock against them.`);
  return `${out.join('\n')}\n`;
}
