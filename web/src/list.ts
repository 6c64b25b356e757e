// One pattern for every list that pages: give it fetch(page) -> {items, next} and a
// render function; it shows the items, a "Load more" button while there are more, a
// text when there are none, a loading line (only when loading takes a moment, so a fast
// answer does not flash it) and a failure with a Retry button.
import { api, type Page } from './api';
import { h, clear, errorText } from './ui';

export interface Chunk<T> {
  items: T[];
  /** True when a later page exists. */
  next: boolean;
}

export interface ListOptions<T> {
  fetch: (page: number) => Promise<Chunk<T>>;
  /** One item; an element that is not an <li> is wrapped in one. */
  render: (item: T) => Node;
  /** What an empty list says. */
  empty: string;
  /** The list's accessible name. */
  label: string;
  id?: string;
  class?: string;
  moreText?: string;
}

export interface PagedList {
  el: HTMLElement;
  /** Starts again from the first page (after a change that moves items). */
  reload(): Promise<void>;
  /** Takes one rendered item out (after deleting it); shows the empty text when it was the last. */
  removeItem(node: Node): void;
}

/** fetch(page) for a paginated API list (`{count, next, previous, results}`, docs/api.md). */
export function apiPages<T>(path: string, query: Record<string, any> = {}, pageSize = 20): (page: number) => Promise<Chunk<T>> {
  return async (page) => {
    const r = await api<Page<T>>(path, { query: { ...query, page, page_size: pageSize } });
    return { items: r.results, next: !!r.next };
  };
}

const LOADING_DELAY_MS = 200;

export function pagedList<T>(o: ListOptions<T>): PagedList {
  const ul = h('ul', { class: `plist ${o.class || ''}`.trim(), id: o.id, 'aria-label': o.label });
  const status = h('p', { class: 'plist-status muted', role: 'status' });
  const more = h('button', { type: 'button', class: 'plist-more', hidden: true }, o.moreText || 'Load more');
  const el = h('div', { class: 'plist-wrap' }, ul, status, more);
  let page = 0;
  let run = 0;

  const wrap = (n: Node) => (n instanceof HTMLLIElement ? n : h('li', null, n));
  const setStatus = (text: string, kind: 'muted' | 'error' = 'muted', retry?: () => void) => {
    status.className = `plist-status ${kind}`;
    clear(status, text, retry ? [' ', h('button', { type: 'button', class: 'small', onclick: retry }, 'Retry')] : null);
  };

  async function load(next: number) {
    const mine = ++run;
    more.hidden = true;
    ul.setAttribute('aria-busy', 'true');
    const slow = setTimeout(() => setStatus('Loading…'), LOADING_DELAY_MS);
    try {
      const chunk = await o.fetch(next);
      if (mine !== run) return;
      if (next === 1) clear(ul);
      ul.append(...chunk.items.map((i) => wrap(o.render(i))));
      page = next;
      more.hidden = !chunk.next;
      setStatus(ul.children.length ? '' : o.empty);
    } catch (e) {
      if (mine !== run) return;
      setStatus(errorText(e), 'error', () => load(next));
    } finally {
      clearTimeout(slow);
      if (mine === run) ul.removeAttribute('aria-busy');
    }
  }

  more.addEventListener('click', () => load(page + 1));
  load(1);
  return {
    el,
    reload: () => load(1),
    removeItem(node: Node) {
      const li = node instanceof HTMLLIElement ? node : (node as Element).closest?.('li');
      li?.remove();
      if (!ul.children.length && more.hidden) setStatus(o.empty);
    },
  };
}
