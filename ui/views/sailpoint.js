// SailPoint tenants, their sources, and each source's attribute sync config.
import { h, render, table } from '../dom.js';

/** @param {HTMLElement} body */
export function sailpointView(body) {
  /** @param {any} data */
  return (data) => {
    const tenants = Object.entries(data.state.sailpoint?.tenants ?? {});
    render(body, tenants, () => tenants.length === 0 ? h('p', { class: 'hint' }, 'No tenants yet.') : tenants.map(([id, tenant]) =>
      h('article', { class: 'tenant' }, h('h3', {}, `Tenant ${id}`),
        /** @type {any} */ (tenant).sources.map((/** @type {any} */ source) => h('div', { class: 'source' },
          h('h4', {}, source.name, ' ', h('code', {}, source.id)),
          table(['attribute', 'display name', 'target', 'enabled'], source.attributes.map((/** @type {any} */ a) =>
            [a.name, a.displayName, a.target, a.enabled ? 'yes' : 'no'])))))));
  };
}
