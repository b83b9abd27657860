// Building elements without innerHTML: every value from the server goes in as text, so a request body
// that holds markup stays text.

/**
 * An element with attributes (on* names become listeners) and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked') /** @type {any} */ (el)[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

/**
 * A table with a header row; each row is an array of cells (strings or nodes).
 * @param {string[]} head
 * @param {any[][]} rows
 * @param {string} [caption]
 */
export function table(head, rows, caption) {
  return h('div', { class: 'scroll' }, h('table', {},
    caption && h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((label) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}

/**
 * A labelled form control.
 * @param {string} label
 * @param {HTMLElement} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), control, hint && h('small', {}, hint));
}

/**
 * A <select> of values ('' is the "any" choice when `any` is given).
 * @param {string} name
 * @param {string[]} values
 * @param {string} [any]
 */
export function select(name, values, any) {
  return h('select', { name }, any !== undefined && h('option', { value: '' }, any), values.map((v) => h('option', { value: v }, v)));
}

/** @type {WeakMap<HTMLElement, string>} */
const shown = new WeakMap();

/**
 * Replaces a container's content, unless what it would show has not changed (so focus and open details stay).
 * @param {HTMLElement} container
 * @param {unknown} data
 * @param {() => Node | Node[]} build
 */
export function render(container, data, build) {
  const key = JSON.stringify(data);
  if (shown.get(container) === key) return;
  shown.set(container, key);
  const built = build();
  container.replaceChildren(...(Array.isArray(built) ? built : [built]));
}

/**
 * The non-empty fields of a form, as strings.
 * @param {HTMLFormElement} form
 * @returns {Record<string, string>}
 */
export function formValues(form) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
  return out;
}
