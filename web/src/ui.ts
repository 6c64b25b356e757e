// Tiny DOM helpers: h() builds elements; formatting of times and sizes.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, any>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (k === 'class') el.className = v;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k in el && typeof v !== 'string') (el as any)[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element, ...children: Child[]) {
  el.replaceChildren();
  append(el, children);
}

// Kept here for the pages that import it from ui.ts; the toasts live in toast.ts.
export { toast } from './toast';

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'describe' in e && typeof (e as any).describe === 'function') return (e as any).describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

export function fmtTime(s: number): string {
  if (!isFinite(s) || s < 0) s = 0;
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  const hh = Math.floor(m / 60);
  const mm = hh ? String(m % 60).padStart(2, '0') : String(m);
  return `${hh ? hh + ':' : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

export function fmtBytes(n: number): string {
  if (!n) return '0 B';
  const u = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', null, label), input, hint ? h('small', null, hint) : null);
}

/** A date and time as the reader's locale writes it ('' for none). */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Waits for `work` with a "Loading…" line in `el` that appears only when the wait is
 * long enough to notice: a quick answer shows nothing in between.
 */
export async function whileLoading<T>(el: HTMLElement, work: Promise<T>, delayMs = 200): Promise<T> {
  const line = h('p', { class: 'muted loading', role: 'status' }, 'Loading…');
  const t = setTimeout(() => el.append(line), delayMs);
  try {
    return await work;
  } finally {
    clearTimeout(t);
    line.remove();
  }
}
