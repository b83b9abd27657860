// The dashboard's vendor panels, by vendor name: the page mounts a vendor's only when the server emulates
// it (GET /__admin/overview). Each may show its state in a section of its own, add facts to the overview,
// add a panel to the settings section, and load more from the control API for those (`load`: data key ->
// path under /__admin). A vendor without an entry gets the shared views alone.
import { credentialOutcomeView, datadogFacts, datadogView } from './datadog.js';
import { sailpointView } from './sailpoint.js';

/**
 * @typedef {object} VendorPanels
 * @property {string} title
 * @property {(body: HTMLElement, page: import('../app.js').Page) => (data: any) => void} [state]
 * @property {(health: any) => Array<[string, string]>} [facts]
 * @property {(body: HTMLElement, page: import('../app.js').Page) => (data: any) => void} [settings]
 * @property {Record<string, string>} [load]
 */

/** @type {Record<string, VendorPanels>} */
export const VENDOR_PANELS = {
  datadog: { title: 'Datadog', state: datadogView, facts: datadogFacts, settings: credentialOutcomeView, load: { outcomes: '/datadog/credential-outcome' } },
  sailpoint: { title: 'SailPoint', state: sailpointView },
};
