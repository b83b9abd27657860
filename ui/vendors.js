// What the shared views know of the served vendors: only what GET /__admin/overview says of each (its name,
// prefixes and scope), so a server with other vendors gets the same controls for them.

/**
 * @typedef {{ prefixes: string[], scope: { name: string, collection: string, aliases: string[] }, counts: Record<string, number> }} VendorFacts
 * @typedef {Record<string, VendorFacts>} Vendors
 */

/** @param {Vendors} vendors */
export const vendorNames = (vendors) => Object.keys(vendors);

/**
 * Each vendor's scope parameter and aliases, as <option>s of a "scope" select: value the parameter, label
 * "<vendor> <parameter>".
 * @param {Vendors} vendors
 * @param {(props: Record<string, any>, text: string) => HTMLElement} option
 * @param {{ aliases?: boolean }} [opts]
 */
export const scopeOptions = (vendors, option, opts = {}) => Object.entries(vendors).flatMap(([name, v]) =>
  [v.scope.name, ...(opts.aliases ? v.scope.aliases : [])].map((param) => option({ value: param }, `${name} ${param}`)));

/**
 * "<scope name> <id>": the scope fields an entry (a journal entry, a fault rule) carries, for its summary line.
 * @param {Vendors} vendors
 * @param {Record<string, any>} entry
 */
export const scopeLabels = (vendors, entry) => Object.values(vendors).map((v) => v.scope.name)
  .filter((name) => entry[name] !== undefined && entry[name] !== null).map((name) => `${name} ${entry[name]}`);

/** A path glob under the first vendor's first prefix, as a placeholder. @param {Vendors} vendors @param {string} rest */
export const pathExample = (vendors, rest) => `${Object.values(vendors)[0]?.prefixes[0] ?? ''}${rest}`;
