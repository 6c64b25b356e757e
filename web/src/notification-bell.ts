// The bell in the top bar: the unread count (live over the per-user socket), and a
// dropdown with the latest notifications, "Mark all read" and a link to the full page.
// One element, moved into each new drawing of the bar (like the friends badge).
import { h, clear, fmtDateTime, errorText } from './ui';
import { on } from './user-socket';
import { link } from './nav';
import { listNotifications, markAllRead, onUnread, openNotification, type Notification } from './notifications';

const count = h('span', { class: 'count', id: 'notifications-count', hidden: true });
const button = h('button', {
  type: 'button', class: 'bell-button', id: 'notifications-button', 'aria-controls': 'notifications-panel',
  'aria-expanded': 'false',
}, h('span', { 'aria-hidden': 'true' }, '🔔'), h('span', { class: 'sr-only' }, 'Notifications'), ' ', count);
const list = h('ul', { class: 'bell-list', id: 'notifications-dropdown', 'aria-label': 'Latest notifications' });
const status = h('p', { class: 'muted', role: 'status' });
const panel = h('div', { class: 'bell-panel', id: 'notifications-panel', hidden: true },
  h('div', { class: 'bell-head' },
    h('strong', null, 'Notifications'),
    h('button', { type: 'button', class: 'link small', id: 'notifications-read-all', onclick: () => { void readAll(); } }, 'Mark all read')),
  list, status, link('/notifications', 'All notifications', { class: 'bell-all' }));
const bell = h('div', { class: 'bell' }, button, panel);

onUnread((n) => {
  count.hidden = n === 0;
  clear(count, String(n), h('span', { class: 'sr-only' }, n === 1 ? ' unread' : ' unread'));
});

function item(n: Notification) {
  const a = h('a', {
    href: n.url || '/notifications', class: n.is_read ? 'read' : 'unread', 'data-id': n.id,
    onclick: (e: MouseEvent) => { e.preventDefault(); setOpen(false); void openNotification(n); },
  }, h('span', { class: 'bell-title' }, n.title), h('span', { class: 'bell-message' }, n.message),
    h('time', { datetime: n.updated_at }, fmtDateTime(n.updated_at)));
  return h('li', null, a);
}

let loading = 0;
async function load() {
  const mine = ++loading;
  try {
    const page = await listNotifications({ page_size: 8 });
    if (mine !== loading) return;
    clear(list, page.results.map(item));
    clear(status, page.results.length ? '' : 'Nothing yet.');
  } catch (e) {
    if (mine === loading) clear(status, errorText(e));
  }
}

async function readAll() {
  try { await markAllRead(); } catch { /* the count says what stands */ }
  await load();
}

function setOpen(open: boolean) {
  button.setAttribute('aria-expanded', String(open));
  panel.hidden = !open;
  if (open) void load();
}
button.addEventListener('click', () => setOpen(panel.hidden));
bell.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !panel.hidden) { setOpen(false); button.focus(); } });
document.addEventListener('click', (e) => { if (!bell.contains(e.target as Node)) setOpen(false); });
// A new notification while the dropdown is open shows at once.
on('notification', () => { if (!panel.hidden) void load(); });

/** The bell element, for the top bar. */
export const notificationBell = () => bell;
