// The count of incoming friend requests beside the Friends entry of the top bar. One
// element, moved into each new drawing of the bar; it reads the count over REST when the
// per-user socket (re)connects and whenever a friend event arrives.
import { api, type Page } from './api';
import { h, clear } from './ui';
import { on } from './user-socket';
import { SOCIAL_LISTS } from './social';

const badge = h('span', { class: 'count', id: 'friends-count', hidden: true });
let seq = 0;

export async function refreshFriendBadge() {
  const mine = ++seq;
  try {
    const p = await api<Page<unknown>>(SOCIAL_LISTS.requests, { query: { direction: 'incoming', page_size: 1 } });
    if (mine !== seq) return;
    badge.hidden = p.count === 0;
    clear(badge, String(p.count), h('span', { class: 'sr-only' }, p.count === 1 ? ' friend request' : ' friend requests'));
  } catch {
    /* the bar stays as it was; the Friends page shows the failure */
  }
}

for (const t of ['connected', 'friend_request', 'friend_accepted', 'friend_removed']) on(t, refreshFriendBadge);
// Hidden while disconnected: a logout, or another user logging in, never shows the old count.
on('disconnected', () => { badge.hidden = true; });

/** The badge element, for the Friends entry of SECTIONS. */
export const friendBadge = () => badge;
