// The social part of a profile (/users/{id}): follower and following counts, and the
// Friend, Follow and Block buttons in the state GET /api/social/users/{id}/ reports.
// After each action the state is read again; friend events about this user redraw it too.
import { api, me } from '../api';
import { h, clear, toast, errorText } from '../ui';
import { navigate } from '../nav';
import { on } from '../user-socket';
import {
  standing, askFriend, acceptFriend, declineFriend, cancelFriend, unfriend, follow, unfollow, block, unblock, type Standing,
} from '../social';
import { actionButton } from './friends';
import { messageButton } from './messages/message-button';

interface Person { id: string; username: string; followers_count?: number; following_count?: number }

function counts(u: Person) {
  if (u.followers_count === undefined && u.following_count === undefined) return null;
  const n = (x: number | undefined, one: string, many: string) => `${x ?? 0} ${x === 1 ? one : many}`;
  return h('p', { class: 'muted small', id: 'follow-counts' },
    n(u.followers_count, 'follower', 'followers'), ' · ', `${u.following_count ?? 0} following`);
}

/** The counts and buttons for `u`; returns the element and its cleanup. */
export function profileSocial(u: Person): { el: HTMLElement; cleanup: () => void } {
  const el = h('div', { class: 'profile-social' });
  if (u.id === me()?.id) return { el, cleanup: () => {} };
  const buttons = h('div', { class: 'inline', id: 'social-actions', role: 'group', 'aria-label': `You and ${u.username}` });
  const countsBox = h('div', null, counts(u));
  el.append(countsBox, buttons);
  const name = u.username;

  let quiet = false;
  async function redraw(reloadCounts = false) {
    if (quiet) return;
    let s: Standing;
    try {
      s = await standing(u.id);
    } catch (e) {
      clear(buttons, h('p', { class: 'error' }, errorText(e)));
      return;
    }
    if (reloadCounts) {
      try { clear(countsBox, counts(await api<Person>(`/api/users/${u.id}/`))); } catch { /* counts stay */ }
    }
    clear(buttons, messageButton(u), ...friendButtons(s), followButton(s), blockButton());
  }
  const act = (text: string, label: string, work: () => Promise<unknown>, done: string, cls = 'small') =>
    actionButton(text, label, async () => { await work(); toast(done); await redraw(true); }, cls);

  function friendButtons(s: Standing): HTMLElement[] {
    if (s.friendship === 'accepted') return [act('Unfriend', `Unfriend ${name}`, () => unfriend(u.id), `${name} is no longer your friend`, 'small unfriend')];
    if (s.friendship === 'pending' && s.requested_by_me) {
      return [act('Cancel friend request', `Cancel friend request to ${name}`, () => cancelFriend(u.id), 'Request cancelled', 'small cancel')];
    }
    if (s.friendship === 'pending') {
      return [act('Accept friend request', `Accept friend request from ${name}`, () => acceptFriend(u.id), `You and ${name} are friends`, 'small primary accept'),
        act('Decline', `Decline ${name}'s friend request`, () => declineFriend(u.id), 'Request declined', 'small decline')];
    }
    return [act('Add friend', `Add friend ${name}`, () => askFriend(u.id), `Friend request sent to ${name}`, 'small primary add-friend')];
  }

  function followButton(s: Standing): HTMLElement {
    if (s.following === 'active') return act('Unfollow', `Unfollow ${name}`, () => unfollow(u.id), `You no longer follow ${name}`, 'small unfollow');
    if (s.following === 'pending') return act('Cancel follow request', `Cancel follow request to ${name}`, () => unfollow(u.id), 'Follow request withdrawn', 'small unfollow');
    return act('Follow', `Follow ${name}`, () => follow(u.id), `You follow ${name}`, 'small follow');
  }

  // Blocking ends the friendship and the follows both ways: it asks once more, in place.
  function blockButton(): HTMLElement {
    const wrap = h('span', { class: 'inline' });
    const ask = h('button', { type: 'button', class: 'small danger block', 'aria-label': `Block ${name}` }, 'Block');
    ask.addEventListener('click', () => {
      const confirm = actionButton('Yes, block', `Yes, block ${name}`, async () => {
        // The block's own friend_removed event may come before the answer: no redraw then.
        quiet = true;
        try { await block(u.id); } catch (e) { quiet = false; throw e; }
        blocked();
      }, 'small danger confirm-block');
      const cancel = h('button', { type: 'button', class: 'small', onclick: () => { clear(wrap, ask); ask.focus(); } }, 'Cancel');
      clear(wrap, h('span', { class: 'small' }, `Block ${name}? You will not see each other, and your friendship and follows end.`), confirm, cancel);
      confirm.focus();
    });
    wrap.append(ask);
    return wrap;
  }

  // Once blocked, the profile is hidden from me too (404): say so, with the way back.
  function blocked() {
    offs.forEach((off) => off());
    toast(`You blocked ${name}`);
    clear(el, h('p', { class: 'notice', id: 'profile-blocked' }, `You blocked ${name}. `,
      actionButton('Unblock', `Unblock ${name}`, async () => { await unblock(u.id); toast(`${name} is unblocked`); navigate(location.pathname, true); }, 'small unblock')));
  }

  const offs = ['friend_request', 'friend_accepted', 'friend_removed'].map((t) => on(t, (d) => { if (d?.user?.id === u.id) redraw(true); }));
  redraw();
  return { el, cleanup: () => offs.forEach((off) => off()) };
}
