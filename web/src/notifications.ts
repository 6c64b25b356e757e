// Notifications (#15, docs/api.md "Notifications"): the REST calls, the unread count kept
// from the per-user socket (the highest `version` wins: events of concurrent changes may
// cross), and opening a notification (marks it read, then goes to its page).
import { api, type Page } from './api';
import { on } from './user-socket';
import { navigate } from './nav';

export interface Notification {
  id: string;
  notification_type: string;
  title: string;
  message: string;
  data: Record<string, unknown>;
  url: string;
  group_count: number;
  actor_id: string | null;
  is_read: boolean;
  read_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationType {
  notification_type: string;
  label: string;
  defaults: Record<Channel, boolean>;
  channels?: Record<Channel, boolean>;
}
export type Channel = 'in_app' | 'email' | 'push';
export const CHANNELS: [Channel, string][] = [['in_app', 'In the app'], ['email', 'Email'], ['push', 'Push']];

export interface Preferences {
  types: (NotificationType & { channels: Record<Channel, boolean> })[];
  muted: boolean;
  digest_mode: 'immediate' | 'daily' | 'off';
  quiet_hours: { start: string; end: string } | null;
  timezone: string;
}

export const NOTIFICATIONS = '/api/notifications/';
export const listNotifications = (query: Record<string, any>) => api<Page<Notification>>(NOTIFICATIONS, { query });
export const markRead = (id: string) => api<Notification>(`${NOTIFICATIONS}${id}/read/`, { method: 'POST' });
export const markAllRead = () => api(`${NOTIFICATIONS}read-all/`, { method: 'POST' });
export const deleteNotification = (id: string) => api(`${NOTIFICATIONS}${id}/`, { method: 'DELETE' });
export const getPreferences = () => api<Preferences>(`${NOTIFICATIONS}preferences/`);
export const patchPreferences = (body: Record<string, unknown>) =>
  api<Preferences>(`${NOTIFICATIONS}preferences/`, { method: 'PATCH', body });

// ---- the unread count, shared by the bell and the page
let count = 0;
let version = -1;
const listeners = new Set<(n: number) => void>();
export const unreadCount = () => count;
export function onUnread(fn: (n: number) => void): () => void {
  listeners.add(fn);
  return () => { listeners.delete(fn); };
}
function setCount(c: { count: number; version: number }) {
  if (c.version < version) return;
  version = c.version;
  count = c.count;
  for (const fn of [...listeners]) fn(count);
}
export async function refreshUnread() {
  try {
    setCount(await api<{ count: number; version: number }>(`${NOTIFICATIONS}unread-count/`));
  } catch {
    /* the bell keeps what it showed */
  }
}
on('connected', () => { version = -1; void refreshUnread(); });
on('unread_count', (d) => setCount(d));
on('disconnected', () => { version = -1; count = 0; for (const fn of [...listeners]) fn(0); });

/** Marks it read (when unread) and opens its page. */
export async function openNotification(n: Notification) {
  if (!n.is_read) {
    try { await markRead(n.id); } catch { /* opening matters more */ }
  }
  if (n.url) navigate(n.url);
}
