/**
 * @module interfaces/http/web/dom
 * The page's two DOM helpers: an element by id, and an element built from a tag, attributes and children.
 */
/* global document */

export const $ = (id) => document.getElementById(id);

/** Creates an element: attributes (`on…` are listeners, `class`, `dataset`), then children (strings are text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}
