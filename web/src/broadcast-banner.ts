// Staff broadcasts as a banner above every page: live from the /ws/user/ socket (and the
// party socket in a room: room.ts hands its admin_broadcast here too, shown once per id),
// and, after a login or a reload, those whose expiry is still ahead. A dismissed one
// stays dismissed in this browser; an expiring one leaves at its expiry.
import { api, me, onAuthChange } from './api';
import { h } from './ui';
import { on } from './user-socket';

export interface Broadcast {
  id: string;
  message: string;
  severity: 'info' | 'warning' | 'critical';
  expires_at: string | null;
}

const DISMISSED_KEY = 'wp_dismissed_broadcasts';
const shown = new Map<string, HTMLElement>();
let region: HTMLElement | null = null;

const dismissed = (): string[] => {
  try { return JSON.parse(localStorage.getItem(DISMISSED_KEY) || '[]'); } catch { return []; }
};

function container(): HTMLElement {
  if (region) return region;
  region = h('div', { class: 'broadcasts', role: 'region', 'aria-label': 'Announcements' });
  const main = document.getElementById('main');
  main?.parentElement?.insertBefore(region, main);
  return region;
}

function remove(id: string) {
  shown.get(id)?.remove();
  shown.delete(id);
}

/** Shows one broadcast (again: nothing) unless dismissed or expired. */
export function showBroadcast(b: Broadcast) {
  if (shown.has(b.id) || dismissed().includes(b.id)) return;
  const left = b.expires_at ? Date.parse(b.expires_at) - Date.now() : Infinity;
  if (left <= 0) return;
  const close = h('button', {
    type: 'button', class: 'small', 'aria-label': 'Dismiss this announcement',
    onclick: () => {
      localStorage.setItem(DISMISSED_KEY, JSON.stringify([...dismissed().slice(-49), b.id]));
      remove(b.id);
    },
  }, 'Dismiss');
  const el = h('div', {
    class: `broadcast ${b.severity}`, dataset: { id: b.id },
    role: b.severity === 'info' ? 'status' : 'alert',
  }, h('strong', null, b.severity === 'info' ? 'Announcement: ' : b.severity === 'warning' ? 'Important: ' : 'Urgent: '),
  h('span', { class: 'broadcast-text' }, b.message), close);
  shown.set(b.id, el);
  container().append(el);
  if (left !== Infinity) window.setTimeout(() => remove(b.id), Math.min(left, 2 ** 31 - 1));
}

async function loadActive() {
  if (!me()) return;
  try {
    const r = await api<{ results: Broadcast[] }>('/api/broadcasts/active/');
    r.results.forEach(showBroadcast);
  } catch { /* the banner is a courtesy: a failure here changes nothing else */ }
}

export function startBroadcastBanner() {
  on('admin_broadcast', (data: Broadcast) => showBroadcast(data));
  onAuthChange((u) => {
    if (!u) [...shown.keys()].forEach(remove);
    else void loadActive();
  });
  void loadActive();
}
