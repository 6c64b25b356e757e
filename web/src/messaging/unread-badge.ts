// The count of unread messages beside the Messages entry of the top bar. One element,
// moved into each new drawing of the bar. The count is the server's (exact, over all
// conversations): read over REST when the per-user socket (re)connects and shortly after
// any event that may change it, a burst of events making one request.
import { h, clear } from '../ui';
import { me } from '../api';
import { on } from '../user-socket';
import { unreadTotal, onMyRead } from './api';

const badge = h('span', { class: 'count', id: 'messages-count', hidden: true });
let seq = 0;
let timer: number | undefined;

async function refresh() {
  const mine = ++seq;
  try {
    const r = await unreadTotal();
    if (mine !== seq) return;
    badge.hidden = r.total === 0;
    clear(badge, String(r.total), h('span', { class: 'sr-only' }, r.total === 1 ? ' unread message' : ' unread messages'));
  } catch {
    /* the bar stays as it was; the Messages page shows failures */
  }
}

/** Reads the count again soon (once for a burst of events). */
export function refreshUnreadBadge(delayMs = 250) {
  clearTimeout(timer);
  timer = window.setTimeout(refresh, delayMs);
}

on('connected', () => refreshUnreadBadge(0));
on('message_new', (d) => { if (d?.message?.sender?.id !== me()?.id) refreshUnreadBadge(); });
on('read', (d) => { if (d?.user_id === me()?.id) refreshUnreadBadge(); });
on('conversation_updated', () => refreshUnreadBadge());
onMyRead(() => refreshUnreadBadge());
on('disconnected', () => { clearTimeout(timer); seq++; badge.hidden = true; });

/** The badge element, for the Messages entry of SECTIONS. */
export const unreadBadge = () => badge;
