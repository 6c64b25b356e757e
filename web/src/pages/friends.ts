// Friends (/friends): find people and ask them, requests in and out, follow requests to
// my private profile, my friends with their online dot, suggestions and my blocks. Live
// through the per-user socket: a new request appears, an accepted one moves to the
// friends, the dots follow presence.
import { h, toast } from '../ui';
import { toastError } from '../toast';
import { link } from '../nav';
import { pagedList, apiPages, type PagedList } from '../list';
import { on } from '../user-socket';
import { userSearch, avatar } from './people';
import {
  SOCIAL_LISTS, askFriend, acceptFriend, declineFriend, cancelFriend, unfriend, unblock, type SocialUser,
  approveFollower, rejectFollower, followRequestsOf,
} from '../social';
import { me } from '../api';
import { refreshFriendBadge } from '../friend-badge';

/** A button that runs `work` once, disabled meanwhile; a failure is a toast and re-enables it. */
export function actionButton(text: string, label: string, work: (b: HTMLButtonElement) => Promise<unknown>, cls = 'small') {
  const b = h('button', { type: 'button', class: cls, 'aria-label': label }, text);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await work(b);
    } catch (e) {
      toastError(e, label);
      b.disabled = false;
    }
  });
  return b;
}

/** The online dot of a friend: a colour and, for screen readers, the word. */
export function presenceDot(online: boolean) {
  const text = online ? 'online' : 'offline';
  return h('span', { class: `presence ${text}`, role: 'img', title: text, 'aria-label': text });
}

function person(u: SocialUser, detail: string | null, ...actions: HTMLElement[]) {
  return h('li', { class: 'user-item', dataset: { userId: u.id } }, avatar(u, 32),
    h('span', { class: 'grow' }, link(`/users/${u.id}`, u.username, { class: 'user-name' }), detail ? h('span', { class: 'muted small' }, ` ${detail}`) : null),
    actions.length ? h('span', { class: 'inline' }, ...actions) : null);
}

function section(title: string, id: string, ...body: (Node | null)[]) {
  return h('section', { class: 'card', 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

export function friendsPage(root: HTMLElement) {
  let friends: PagedList, incoming: PagedList, outgoing: PagedList, suggestions: PagedList, blocks: PagedList;
  let followRequests: PagedList;
  const changed = () => { friends.reload(); incoming.reload(); outgoing.reload(); suggestions.reload(); refreshFriendBadge(); };

  const addButton = (u: SocialUser) => actionButton('Add friend', `Add friend ${u.username}`, async (b) => {
    const r = await askFriend(u.id);
    const friends = r.status === 'accepted';
    // The button stays disabled and says what happened.
    b.textContent = friends ? 'Friends' : 'Requested';
    b.setAttribute('aria-label', `${b.textContent}: ${u.username}`);
    toast(friends ? `You and ${u.username} are friends` : `Friend request sent to ${u.username}`);
    changed();
  }, 'small add-friend');

  const search = userSearch({ label: 'Find people to add', id: 'friend-search', action: (u) => addButton(u as SocialUser) });

  incoming = pagedList<SocialUser>({
    fetch: apiPages(SOCIAL_LISTS.requests, { direction: 'incoming' }), label: 'Friend requests to me', id: 'incoming-requests', class: 'user-list',
    empty: 'No requests right now.',
    render: (u) => person(u, 'wants to be your friend',
      actionButton('Accept', `Accept ${u.username}'s friend request`, async () => { await acceptFriend(u.id); toast(`You and ${u.username} are friends`); changed(); }, 'small primary accept'),
      actionButton('Decline', `Decline ${u.username}'s friend request`, async () => { await declineFriend(u.id); changed(); }, 'small decline')),
  });
  outgoing = pagedList<SocialUser>({
    fetch: apiPages(SOCIAL_LISTS.requests, { direction: 'outgoing' }), label: 'My friend requests', id: 'outgoing-requests', class: 'user-list',
    empty: 'No request waiting for an answer.',
    render: (u) => person(u, 'has not answered yet',
      actionButton('Cancel', `Cancel the friend request to ${u.username}`, async () => { await cancelFriend(u.id); changed(); }, 'small cancel')),
  });
  // Follows of a private profile wait here for an answer.
  followRequests = pagedList<SocialUser>({
    fetch: apiPages(followRequestsOf(me()?.id ?? ''), { status: 'pending' }), label: 'Follow requests to me', id: 'follow-requests', class: 'user-list',
    empty: 'Nobody is waiting to follow you.',
    render: (u) => person(u, 'asks to follow you',
      actionButton('Approve', `Approve ${u.username}'s follow request`, async () => { await approveFollower(u.id); toast(`${u.username} now follows you`); followRequests.reload(); }, 'small primary approve-follow'),
      actionButton('Reject', `Reject ${u.username}'s follow request`, async () => { await rejectFollower(u.id); followRequests.reload(); }, 'small reject-follow')),
  });
  friends = pagedList<SocialUser>({
    fetch: apiPages(SOCIAL_LISTS.friends, {}, 50), label: 'My friends', id: 'friends-list', class: 'user-list friends',
    empty: 'No friends yet: find people above.',
    render: (u) => {
      const li = person(u, null,
        actionButton('Unfriend', `Unfriend ${u.username}`, async () => { await unfriend(u.id); toast(`${u.username} is no longer your friend`); changed(); }, 'small unfriend'));
      li.prepend(presenceDot(!!u.online));
      return li;
    },
  });
  suggestions = pagedList<SocialUser>({
    fetch: apiPages(SOCIAL_LISTS.suggestions, {}, 10), label: 'People you may know', id: 'suggestions', class: 'user-list',
    empty: 'No suggestions yet: they come from your friends’ friends.',
    render: (u) => person(u, `${u.mutual_count ?? 0} friend${u.mutual_count === 1 ? '' : 's'} in common`, addButton(u)),
  });
  blocks = pagedList<SocialUser>({
    fetch: apiPages(SOCIAL_LISTS.blocks), label: 'People I blocked', id: 'blocks', class: 'user-list',
    empty: 'You have blocked nobody.',
    render: (u) => person(u, null,
      actionButton('Unblock', `Unblock ${u.username}`, async () => { await unblock(u.id); toast(`${u.username} is unblocked`); blocks.reload(); changed(); }, 'small unblock')),
  });

  // A friend's dot follows their presence without reloading the list.
  const setPresence = (d: { user_id: string; online: boolean }) => {
    const li = friends.el.querySelector<HTMLElement>(`li[data-user-id="${CSS.escape(d.user_id)}"]`);
    li?.querySelector('.presence')?.replaceWith(presenceDot(d.online));
  };
  const offs = [
    on('presence', setPresence),
    on('friend_request', () => incoming.reload()),
    on('friend_accepted', changed),
    on('friend_removed', changed),
    on('connected', () => { changed(); blocks.reload(); followRequests.reload(); }),
  ];

  root.append(
    h('h1', null, 'Friends'),
    section('Find people', 'find', search.el),
    h('div', { class: 'grid2 social-grid' },
      h('div', null,
        section('Requests to you', 'incoming', incoming.el),
        section('Your requests', 'outgoing', outgoing.el),
        section('Follow requests', 'follow-requests', followRequests.el),
        section('Suggestions', 'suggest', suggestions.el)),
      h('div', null,
        section('Your friends', 'friends', friends.el),
        section('Blocked', 'blocked', h('p', { class: 'muted small' }, 'Blocked people cannot find you, ask you or invite you, and you do not see them.'), blocks.el))),
  );
  return () => offs.forEach((off) => off());
}

