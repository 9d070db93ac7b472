type Attrs = Record<string, string | number | boolean | undefined | ((ev: Event) => void)>;
type Child = Node | string | null | undefined | false;

/**
 * Creates an element: `h('button', { class: 'x', onclick: fn }, 'text')`. Attributes named on*
 * become listeners; `false`/`undefined` attributes are left out. Text is always set as text, never
 * parsed as HTML, so nothing from the network can inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Replaces an element's children. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/**
 * Sets an element's text only when it differs. Any DOM write, even of the same value, invalidates
 * style and costs the page a full frame (style, layout, paint); a live tap updates many small
 * readouts 4 times a second, most of which did not change. A lone text node is changed in place
 * (no node is created).
 */
export function setText(el: Element, text: string): void {
  const only = el.firstChild;
  if (only instanceof Text && only.nextSibling === null) {
    if (only.data !== text) only.data = text;
  } else if (el.textContent !== text || el.childElementCount > 0) el.textContent = text;
}

/** Sets an attribute only when its value differs (null removes it), for the same reason as {@link setText}. */
export function setAttr(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/** Shows or hides an element, writing `hidden` only when it changes. */
export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** Sets an element's class list only when it differs (className re-assigned to the same value is still a write). */
export function setClass(el: Element, className: string): void {
  if (el.className !== className) el.className = className;
}

/**
 * Makes `nodes` (each at most once) the element's children with the fewest DOM writes: children
 * already in place stay untouched, unwanted ones are removed, missing ones inserted. A list whose
 * rows did not change is not written at all, and a kept row keeps its focus and state.
 */
export function setChildNodes(el: Element, nodes: readonly Node[]): void {
  const want = new Set(nodes);
  let at = el.firstChild;
  const drop = (): void => {
    const next = at!.nextSibling;
    at!.remove();
    at = next;
  };
  for (const n of nodes) {
    while (at !== null && at !== n && !want.has(at)) drop();
    if (at === n) at = at.nextSibling;
    else el.insertBefore(n, at);
  }
  while (at !== null) drop();
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${Math.floor((ms % 1000) / 100)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
