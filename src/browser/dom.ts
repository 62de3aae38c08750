/** Building the page's elements: text always goes in as text, never as HTML. */

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A table: the first row is the header; a cell may be an element (a badge, a link). */
export function table(rows: ReadonlyArray<ReadonlyArray<Child>>, className = ''): HTMLTableElement {
  const [head, ...body] = rows;
  return h(
    'table',
    className === '' ? {} : { class: className },
    h('thead', {}, h('tr', {}, ...(head ?? []).map((c) => h('th', {}, c)))),
    h('tbody', {}, ...body.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export function badge(text: string, kind: 'pass' | 'fail' | 'warn' | 'muted'): HTMLSpanElement {
  return h('span', { class: `badge ${kind}` }, text);
}

/** A link to a file of the run folder, relative: it still works when the folder is copied elsewhere. */
export function fileLink(href: string, text = href): HTMLAnchorElement {
  return h('a', { href: encodeURI(href) }, text);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'part' }, h('h3', {}, title), ...children);
}

/** A section named for the tests and the documentation's screenshots (data-part). */
export function namedSection(part: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'part', 'data-part': part }, h('h3', {}, title), ...children);
}

const fixed = (n: number, d: number): string => n.toFixed(d);

/** A figure for a person: two decimals below 100, none above; 'n/a' when missing. */
export function num(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  const text = Math.abs(n) >= 100 ? fixed(n, 0) : fixed(n, 2);
  return unit === '' ? text : `${text} ${unit}`;
}
