// /notifications: every notification, newest first, with the unread and type filters,
// mark read, delete and mark all read. New ones arrive over the per-user socket.
import { h, fmtDateTime } from '../ui';
import { toastError } from '../toast';
import { api } from '../api';
import { on } from '../user-socket';
import { pagedList, apiPages } from '../list';
import { link } from '../nav';
import { NOTIFICATIONS, deleteNotification, markAllRead, markRead, openNotification, type Notification, type NotificationType } from '../notifications';

export async function notificationsPage(root: HTMLElement) {
  const unreadOnly = h('input', { type: 'checkbox', id: 'notifications-unread-only' });
  const type = h('select', { id: 'notifications-type', 'aria-label': 'Type' }, h('option', { value: '' }, 'All types'));
  api<NotificationType[]>(`${NOTIFICATIONS}types/`).then((types) => {
    type.append(...types.map((t) => h('option', { value: t.notification_type }, t.label)));
  }).catch(() => { /* the filter stays at all types */ });
  const query = () => ({ unread: unreadOnly.checked ? 'true' : undefined, type: type.value || undefined });
  let list = pagedList<Notification>({
    fetch: (page) => apiPages<Notification>(NOTIFICATIONS, query())(page),
    render: (n) => row(n),
    empty: 'No notifications.',
    label: 'Notifications',
    id: 'notifications-list',
  });

  function row(n: Notification) {
    const li = h('li', { class: `notification ${n.is_read ? 'read' : 'unread'}`, 'data-id': n.id });
    const open = h('a', { href: n.url || '#', onclick: (e: MouseEvent) => { e.preventDefault(); void openNotification(n); } },
      h('strong', null, n.title));
    const read = h('button', {
      type: 'button', class: 'small', hidden: n.is_read, 'aria-label': `Mark read: ${n.title}`,
      onclick: async () => {
        try { await markRead(n.id); li.className = 'notification read'; read.hidden = true; } catch (e) { toastError(e); }
      },
    }, 'Mark read');
    const del = h('button', {
      type: 'button', class: 'small', 'aria-label': `Delete: ${n.title}`,
      onclick: async () => {
        try { await deleteNotification(n.id); list.removeItem(li); } catch (e) { toastError(e); }
      },
    }, 'Delete');
    li.append(open, h('p', null, n.message),
      h('p', { class: 'muted' }, h('time', { datetime: n.updated_at }, fmtDateTime(n.updated_at)),
        n.group_count > 1 ? ` · ${n.group_count} times` : ''),
      h('div', { class: 'actions' }, read, del));
    return li;
  }

  const readAll = h('button', {
    type: 'button', id: 'notifications-page-read-all',
    onclick: async () => { try { await markAllRead(); await list.reload(); } catch (e) { toastError(e); } },
  }, 'Mark all read');
  unreadOnly.addEventListener('change', () => { void list.reload(); });
  type.addEventListener('change', () => { void list.reload(); });
  root.append(h('section', { class: 'card' },
    h('h1', null, 'Notifications'),
    h('div', { class: 'toolbar' },
      h('div', { class: 'check' }, unreadOnly, h('label', { for: unreadOnly.id }, 'Unread only')),
      type, readAll, link('/settings/notifications', 'Settings')),
    list.el));
  await list.reload();
  const offs = [on('notification', () => { void list.reload(); }), on('connected', () => { void list.reload(); })];
  return () => offs.forEach((off) => off());
}
