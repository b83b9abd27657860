// Vendors and their prefixes, auth mode, clock, the vendor panels' facts, and how much the server holds.
import { h, render, table } from '../dom.js';

/**
 * @param {HTMLElement} body
 * @param {(health: any) => Array<[string, string]>} facts the served vendors' own (views/vendors.js)
 */
export function overviewView(body, facts) {
  /** @param {any} data */
  return (data) => render(body, [data.health, data.overview, data.clock], () => {
    const { health, overview, clock } = data;
    const vendors = Object.entries(overview.vendors).map(([name, v]) => /** @type {[string, any]} */ ([name, v]));
    return [
      h('dl', { class: 'facts' },
        h('dt', {}, 'Auth mode'), h('dd', {}, health.auth === 'open' ? 'open (any key or client is accepted)' : 'strict (seeded keys and clients only)'),
        facts(health).map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
        h('dt', {}, 'Clock'), h('dd', {}, clock.frozen ? `frozen at ${clock.now}` : `real${clock.offset_seconds ? `, ${clock.offset_seconds} s ahead` : ''}: ${clock.now}`),
        h('dt', {}, 'Store'), h('dd', {}, health.db === 'memory' ? 'in memory' : 'SQLite file'),
        h('dt', {}, 'Journal'), h('dd', {}, `${overview.journal.entries} of ${overview.journal.capacity} entries${overview.journal.evicted ? `, ${overview.journal.evicted} evicted` : ''}`),
        h('dt', {}, 'Faults'), h('dd', {}, `${overview.faults.armed} armed of ${overview.faults.rules} rules`)),
      table(['vendor', 'prefixes', 'holds'], vendors.map(([name, v]) => [
        name,
        h('ul', { class: 'plain' }, v.prefixes.map((/** @type {string} */ p) => h('li', {}, h('code', {}, p)))),
        Object.entries(v.counts).map(([what, n]) => `${n} ${what.replaceAll('_', ' ')}`).join(', '),
      ]), 'Emulated vendors'),
    ];
  });
}
