// One group (/groups/{id}): its details and my place in it (join, ask, accept, leave),
// the members with their roles (admins and moderators act on them), join requests for
// those who decide them, inviting people, the group's parties, and its edit form for
// admins. What I may do comes
// from my membership's `permissions` (docs/api.md, "Groups"); the server decides anyway.
import { ApiError, me } from '../api';
import { h, toast, errorText } from '../ui';
import { link, navigate } from '../nav';
import { pagedList, apiPages, type PagedList } from '../list';
import { on } from '../user-socket';
import {
  getGroup, joinGroup, leaveGroup, inviteToGroup, answerGroupInvitation, decideRequest, moderate,
  type Group, type Membership, type MemberAction, type Role,
} from '../social';
import { actionButton } from './friends';
import { userSearch } from './people';
import { createForm } from './parties';
import { groupForm } from './groups';

const RANK: Record<Role, number> = { admin: 3, moderator: 2, member: 1 };
const ROLE_TEXT: Record<Role, string> = { admin: 'admin', moderator: 'moderator', member: 'member' };

const again = () => navigate(location.pathname, true);

function myPlace(g: Group) {
  const m = g.membership;
  const name = g.name;
  const line = (text: string, ...buttons: HTMLElement[]) =>
    h('div', { class: 'inline group-place', id: 'group-place' }, h('span', { class: 'grow' }, text), ...buttons);
  const leave = (text: string, label: string, done: string) => actionButton(text, label, async () => {
    await leaveGroup(g.id);
    toast(done);
    again();
  }, 'small leave');
  if (!m) {
    return line(g.is_private ? 'This group is private: ask to join, and an admin or moderator lets you in.' : 'Anyone may join this group.',
      actionButton(g.is_private ? 'Ask to join' : 'Join', `${g.is_private ? 'Ask to join' : 'Join'} ${name}`, async () => {
        const r = await joinGroup(g.id);
        toast(r.status === 'pending' ? 'Your request is sent' : `You joined ${name}`);
        again();
      }, 'small primary join'));
  }
  switch (m.status) {
    case 'pending': return line('Your request to join awaits approval.', leave('Withdraw request', `Withdraw request to join ${name}`, 'Request withdrawn'));
    case 'invited': return line('You are invited to this group.',
      actionButton('Accept', `Accept the invitation to ${name}`, async () => { await answerGroupInvitation(g.id, true); again(); }, 'small primary accept'),
      actionButton('Decline', `Decline the invitation to ${name}`, async () => { await answerGroupInvitation(g.id, false); again(); }, 'small'));
    case 'banned': return line('You are banned from this group.');
    default: return line(`You are a${m.role === 'admin' ? 'n' : ''} ${ROLE_TEXT[m.role]} of this group.`, leave('Leave group', `Leave group ${name}`, `You left ${name}`));
  }
}

/** The buttons I may use on one member (none on myself or on a higher rank). */
function memberActions(g: Group, m: Membership, reload: () => void): HTMLElement[] {
  const mine = g.membership;
  if (!mine || mine.status !== 'active') return [];
  const out: HTMLElement[] = [];
  const act = (action: MemberAction, text: string) => actionButton(text, `${text} ${m.user.username}`, async () => {
    await moderate(g.id, m.user.id, action);
    toast(`${m.user.username}: ${text.toLowerCase()} done`);
    reload();
  }, `small ${action}`);
  const self = m.user.id === me()?.id;
  if (mine.role === 'admin' && !self) {
    if (m.role !== 'admin') out.push(act('promote', 'Promote'));
    if (m.role !== 'member') out.push(act('demote', 'Demote'));
  }
  if (mine.permissions.kick && !self && RANK[mine.role] > RANK[m.role]) out.push(act('kick', 'Kick'), act('ban', 'Ban'));
  return out;
}

function section(title: string, id: string, ...body: (Node | null)[]) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

export async function groupPage(root: HTMLElement, [id]: string[]) {
  let g: Group;
  try {
    g = await getGroup(id);
  } catch (e) {
    const gone = e instanceof ApiError && e.status === 404;
    root.append(h('section', { class: 'card narrow' }, h('h1', null, gone ? 'No such group' : 'Group unavailable'),
      h('p', { class: gone ? 'muted' : 'error' }, gone ? 'This group does not exist any more.' : errorText(e)), link('/groups', 'All groups')));
    return;
  }
  const active = g.membership?.status === 'active';
  const perms = active ? g.membership!.permissions : null;
  const inside = !g.is_private || active;

  root.append(h('section', { class: 'card' },
    h('h1', { id: 'group-name' }, g.name),
    h('p', { class: 'inline' }, g.is_private ? h('span', { class: 'badge' }, 'private') : h('span', { class: 'badge' }, 'public'),
      g.category ? h('span', { class: 'badge' }, g.category) : null,
      h('span', { class: 'muted small', id: 'member-count' }, `${g.member_count} member${g.member_count === 1 ? '' : 's'}`)),
    g.description ? h('p', { class: 'group-desc' }, g.description) : null,
    myPlace(g),
    active && g.membership!.role === 'admin' ? h('details', { class: 'group-edit-box' }, h('summary', null, 'Edit group'), groupForm(g)) : null));

  // The count in the head follows the changes made on this page.
  const recount = async () => {
    try {
      const n = (await getGroup(id)).member_count;
      const el = root.querySelector('#member-count');
      if (el) el.textContent = `${n} member${n === 1 ? '' : 's'}`;
    } catch { /* the count stays */ }
  };
  const offs: (() => void)[] = [];
  if (perms?.approve) {
    let requests: PagedList;
    requests = pagedList<Membership>({
      fetch: apiPages(`/api/groups/${id}/requests/`), label: 'Requests to join', id: 'group-requests', class: 'user-list', empty: 'No request waiting.',
      render: (m) => h('li', { class: 'user-item', dataset: { userId: m.user.id } },
        h('span', { class: 'grow' }, link(`/users/${m.user.id}`, m.user.username), h('span', { class: 'muted small' }, ' asks to join')),
        h('span', { class: 'inline' },
          actionButton('Approve', `Approve ${m.user.username}`, async () => { await decideRequest(id, m.user.id, true); requests.reload(); members?.reload(); recount(); }, 'small primary approve'),
          actionButton('Reject', `Reject ${m.user.username}`, async () => { await decideRequest(id, m.user.id, false); requests.reload(); }, 'small reject'))),
    });
    offs.push(on('group_request', (d) => { if (d?.group?.id === id) requests.reload(); }), on('connected', () => requests.reload()));
    root.append(section('Requests to join', 'requests', requests.el));
  }

  let members: PagedList | undefined;
  if (inside) {
    const reload = () => { members?.reload(); recount(); };
    members = pagedList<Membership>({
      fetch: apiPages(`/api/groups/${id}/members/`, {}, 50), label: 'Members', id: 'group-members', class: 'user-list',
      empty: 'No members.',
      render: (m) => {
        const actions = memberActions(g, m, reload);
        return h('li', { class: 'user-item member', dataset: { userId: m.user.id } },
          h('span', { class: 'grow' }, link(`/users/${m.user.id}`, m.user.username),
            m.role !== 'member' ? h('span', { class: `badge role-${m.role}` }, ROLE_TEXT[m.role]) : null),
          actions.length ? h('span', { class: 'inline' }, ...actions) : null);
      },
    });
    const parties = pagedList<any>({
      fetch: apiPages(`/api/groups/${id}/parties/`), label: 'Parties of the group', id: 'group-parties', class: 'party-list',
      empty: 'No party in this group yet.',
      render: (p) => h('li', { class: 'party-item' }, link(`/parties/${p.id}`, p.title, { class: 'party-title' }),
        h('span', { class: `badge ${p.status}` }, p.status), h('span', { class: 'muted small' }, ` hosted by ${p.host?.username ?? '?'}`)),
    });
    const host = perms?.host_parties
      ? h('details', { class: 'group-new-party' }, h('summary', null, 'Start a party in this group'), createForm(id))
      : null;
    root.append(h('div', { class: 'grid2' },
      section('Members', 'members', members.el),
      section('Parties', 'parties', parties.el, host)));
  } else {
    root.append(h('p', { class: 'notice' }, 'The members and parties of a private group are for its members.'));
  }

  if (perms?.invite) {
    const search = userSearch({ label: 'Find people to invite', id: 'group-invite-search', action: (u) => actionButton('Invite', `Invite ${u.username}`, async () => {
      await inviteToGroup(id, u.id);
      toast(`${u.username} is invited`);
    }, 'small invite-user') });
    root.append(section('Invite people', 'invite', search.el));
  }
  return () => offs.forEach((off) => off());
}
