// The settings area: a heading, a side navigation between its sub-pages (tabs on a
// phone) and the sub-page itself. A sub-page is one line in SETTINGS_PAGES (routes.ts).
import { h } from '../../ui';
import { link } from '../../nav';
import type { Cleanup } from '../../main';

export interface SettingsPage {
  path: string;
  label: string;
  /** Builds the sub-page into `content` (which has no heading yet: the page adds its h1). */
  build: (content: HTMLElement) => Cleanup | Promise<Cleanup>;
}

export function settingsLayout(pages: SettingsPage[], current: SettingsPage, root: HTMLElement): HTMLElement {
  const nav = h('nav', { class: 'settings-nav', 'aria-label': 'Settings' },
    h('ul', null, pages.map((p) => h('li', null,
      link(p.path, p.label, { 'aria-current': p === current ? 'page' : undefined })))));
  const content = h('div', { class: 'settings-content' });
  root.append(h('div', { class: 'settings' }, nav, content));
  return content;
}

/** A titled card inside a settings page. */
export function section(title: string, id: string, ...children: (Node | string | null | false)[]): HTMLElement {
  return h('section', { class: 'card', 'aria-labelledby': `${id}-title`, id },
    h('h2', { id: `${id}-title` }, title), ...children);
}
