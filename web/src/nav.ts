// Client-side navigation (history API); main.ts renders on the 'wp:navigate' event.
import { h } from './ui';

export function navigate(path: string, replace = false) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event('wp:navigate'));
}

export function link(href: string, text: string, attrs: Record<string, any> = {}) {
  return h('a', {
    ...attrs,
    href,
    onclick: (e: MouseEvent) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(href);
    },
  }, text);
}

/** After login: where the user wanted to go. */
export function afterLogin() {
  const to = sessionStorage.getItem('wp_after_login') || '/';
  sessionStorage.removeItem('wp_after_login');
  navigate(to, true);
}

/** A query parameter of the current address (e.g. a mailed link's `?token=`), or null. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name)?.trim() || null;
}
