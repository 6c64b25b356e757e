// The frame around every page: a top bar with the sections and a user menu. On a phone
// the sections fold behind a Menu button. Sections and user-menu entries are tables:
// a new area of the client adds one line to SECTIONS (or USER_MENU).
import { me, logout, type User } from './api';
import { h, clear } from './ui';
import { link, navigate } from './nav';
import { friendBadge } from './friend-badge';
import { unreadBadge } from './messaging/unread-badge';
import { notificationBell } from './notification-bell';
import { searchBox } from './search/search-box';  // search (#22)

export interface NavEntry {
  href: string;
  label: string;
  /** Paths that mark this entry as the current one (default: href and what is under it). */
  match?: RegExp;
  /** Shown only to staff. */
  staff?: boolean;
  /** Drawn after the label (a count). */
  extra?: () => Node;
}

/** The main sections, in the order of the top bar. */
export const SECTIONS: NavEntry[] = [
  { href: '/', label: 'Parties', match: /^\/($|parties|join)/ },
  { href: '/videos', label: 'My videos', match: /^\/videos\/?$/ },
  // -- videos, people, invitations (#25)
  { href: '/videos/browse', label: 'Videos', match: /^\/videos\/(browse|[0-9a-f-]{36})/ },
  { href: '/people', label: 'People', match: /^\/(people|users)\b/ },
  { href: '/invitations', label: 'Invitations' },
  // -- social graph and groups (#13)
  { href: '/friends', label: 'Friends', extra: friendBadge },
  { href: '/groups', label: 'Groups' },
  // -- messaging (#14)
  { href: '/messages', label: 'Messages', extra: unreadBadge },
  // -- events (#16)
  { href: '/events', label: 'Events' },
  // -- support (#19)
  { href: '/support', label: 'Help', match: /^\/support\b/ },
];

/** The user menu, under the user's name. */
export const USER_MENU: NavEntry[] = [
  { href: '/settings/profile', label: 'Settings', match: /^\/settings\/(profile|account|privacy|notifications)/ },
  { href: '/settings/security', label: 'Security', match: /^\/settings\/(security|sessions|login-history)/ },
  // -- moderation (#19)
  { href: '/standing', label: 'My standing' },
  { href: '/activity', label: 'My activity' },  // analytics (#20)
  // -- store and achievements (#18)
  { href: '/store', label: 'Store' },
  { href: '/achievements', label: 'Achievements' },
  { href: '/admin', label: 'Admin', staff: true, match: /^\/admin(\/|$)/ },
];

const visible = (u: User | null) => (e: NavEntry) => !e.staff || !!u?.is_staff;
const isCurrent = (e: NavEntry, path: string) =>
  e.match ? e.match.test(path) : path === e.href || path.startsWith(e.href.replace(/\/?$/, '/'));

function navLink(e: NavEntry, path: string) {
  const a = link(e.href, e.label, { 'aria-current': isCurrent(e, path) ? 'page' : undefined });
  if (e.extra) a.append(' ', e.extra());
  return a;
}

/** A button that shows and hides `panel` (aria-expanded); Escape and a click elsewhere close it. */
function disclosure(button: HTMLButtonElement, panel: HTMLElement, signal: AbortSignal) {
  const set = (open: boolean) => {
    button.setAttribute('aria-expanded', String(open));
    panel.classList.toggle('open', open);
  };
  set(false);
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { set(false); button.focus(); }
  });
  button.addEventListener('keydown', (e) => { if (e.key === 'Escape') set(false); });
  document.addEventListener('click', (e) => {
    if (!button.contains(e.target as Node) && !panel.contains(e.target as Node)) set(false);
  }, { signal });
  // Following a link in the panel closes it.
  panel.addEventListener('click', (e) => { if ((e.target as Element).closest('a')) set(false); });
  return set;
}

export class Shell {
  readonly header = h('header', { class: 'topbar' });
  readonly main = h('main', { id: 'main', tabindex: '-1' });
  /** While the session is being restored the bar shows neither the guest nor the user links. */
  restoring = false;
  private listeners = new AbortController();

  constructor(app: HTMLElement) {
    const skip = h('a', { class: 'skip', href: '#main' }, 'Skip to the content');
    app.append(skip, this.header, this.main);
  }

  private drawn = '';

  /** Draws the bar again only when what it shows changed (a token refresh must not close an open menu). */
  update() {
    if (this.key() !== this.drawn) this.render();
  }

  private key() {
    const u = me();
    return `${this.restoring}|${u?.id}|${u?.username}|${u?.is_staff}|${location.pathname}`;
  }

  render() {
    this.drawn = this.key();
    const u = me();
    const path = location.pathname;
    this.listeners.abort();
    this.listeners = new AbortController();
    const brand = h('a', { class: 'brand', href: '/', onclick: (e: MouseEvent) => { e.preventDefault(); navigate('/'); } }, '▶ watchparty');
    if (this.restoring) {
      clear(this.header, brand);
      return;
    }
    if (!u) {
      clear(this.header, brand, searchBox(), h('nav', { class: 'guestlinks', 'aria-label': 'Account' },
        link('/login', 'Log in', { 'aria-current': path.startsWith('/login') ? 'page' : undefined }),
        link('/register', 'Register', { 'aria-current': path.startsWith('/register') ? 'page' : undefined })));
      return;
    }
    clear(this.header, brand, this.sections(u, path), searchBox(), notificationBell(), this.userMenu(u, path));
  }

  private sections(u: User, path: string) {
    const list = h('ul', { class: 'navlinks', id: 'nav-sections' },
      SECTIONS.filter(visible(u)).map((e) => h('li', null, navLink(e, path))));
    // The button stays in the bar's first row on a phone; the links open below it.
    const toggle = h('button', { type: 'button', class: 'menu-toggle', id: 'menu-toggle', 'aria-controls': 'nav-sections' }, 'Menu');
    const nav = h('nav', { class: 'sections', 'aria-label': 'Main' }, list);
    disclosure(toggle, list, this.listeners.signal);
    return [toggle, nav];
  }

  private userMenu(u: User, path: string) {
    const button = h('button', { type: 'button', class: 'user-button', id: 'user-menu-button', 'aria-controls': 'user-menu' },
      h('span', { class: 'who' }, u.username), h('span', { 'aria-hidden': 'true' }, ' ▾'));
    const logoutButton = h('button', {
      type: 'button', class: 'link', id: 'logout',
      onclick: async () => { await logout(); navigate('/login'); },
    }, 'Log out');
    const panel = h('ul', { class: 'user-menu', id: 'user-menu' },
      USER_MENU.filter(visible(u)).map((e) => h('li', null, navLink(e, path))),
      h('li', null, logoutButton));
    disclosure(button, panel, this.listeners.signal);
    return h('nav', { class: 'usernav', 'aria-label': 'User' }, button, panel);
  }
}
