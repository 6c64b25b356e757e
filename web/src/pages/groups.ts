// Groups (/groups): browse and search the groups I may see, my groups, my invitations
// to groups, and a form to create one (I become its admin and land on its page).
import { h, toast } from '../ui';
import { link, navigate, queryParam } from '../nav';
import { pagedList, apiPages, type PagedList } from '../list';
import { textField, inputField, errorBox, onSubmit } from '../forms';
import { on } from '../user-socket';
import { createGroup, patchGroup, answerGroupInvitation, type Group, type GroupInput } from '../social';
import { actionButton } from './friends';

export function groupItem(g: Group) {
  return h('li', { class: 'user-item group-item', dataset: { groupId: g.id } },
    h('span', { class: 'grow' }, link(`/groups/${g.id}`, g.name, { class: 'group-name' }),
      g.is_private ? h('span', { class: 'badge' }, 'private') : null,
      g.category ? h('span', { class: 'badge' }, g.category) : null,
      h('span', { class: 'muted small' }, ` ${g.member_count} member${g.member_count === 1 ? '' : 's'}`),
      g.description ? h('span', { class: 'muted small group-desc' }, g.description) : null));
}

interface GroupInvitation {
  group: { id: string; name: string; is_private: boolean };
  inviter: { id: string; username: string } | null;
  created_at: string;
}

/** The form that creates a group, or edits `g` (its admins): the same fields either way. */
export function groupForm(g?: Group) {
  const fields = {
    name: textField('Name', { name: 'name', required: true, maxLength: 100, autocomplete: 'off', value: g?.name ?? '' }),
    description: inputField('Description', h('textarea', { name: 'description', rows: 3, maxLength: 2000 }, g?.description ?? '')),
    category: textField('Category', { name: 'category', maxLength: 50, placeholder: 'Films, series, sports…', value: g?.category ?? '' }),
  };
  const priv = h('input', { type: 'checkbox', name: 'is_private', id: 'group-private', checked: g?.is_private ?? false });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, g ? 'Save' : 'Create group');
  const form = h('form', { class: g ? 'group-edit' : 'card', id: 'group-form', 'aria-labelledby': 'group-form-title' },
    h('h2', { id: 'group-form-title' }, g ? 'Edit the group' : 'Create a group'),
    fields.name.el, fields.description.el, fields.category.el,
    h('label', { class: 'check', for: priv.id }, priv, h('span', null, 'Private: people ask to join, and an admin or moderator lets them in')),
    box, submit);
  onSubmit(form, {
    fields, box, submit,
    action: () => {
      const body: GroupInput = {
        name: fields.name.input.value.trim(), description: fields.description.input.value.trim(),
        category: fields.category.input.value.trim(), is_private: priv.checked,
      };
      return g ? patchGroup(g.id, body) : createGroup(body);
    },
    done: (saved) => { toast(g ? 'Group saved' : `Group “${saved.name}” created`); navigate(`/groups/${saved.id}`, !!g); },
  });
  return form;
}

function searchForm(q: string, category: string) {
  const search = h('input', { type: 'search', name: 'search', id: 'group-search', value: q, placeholder: 'Group name' });
  const cat = h('input', { type: 'text', name: 'category', id: 'group-category', value: category, placeholder: 'Any' });
  return h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Find groups',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (search.value.trim()) p.set('search', search.value.trim());
      if (cat.value.trim()) p.set('category', cat.value.trim());
      const s = p.toString();
      navigate(`/groups${s ? '?' + s : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search groups'), search),
    h('div', { class: 'field' }, h('label', { for: cat.id }, 'Category'), cat),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
}

export function groupsPage(root: HTMLElement) {
  const q = queryParam('search') ?? '';
  const category = queryParam('category') ?? '';
  let invitations: PagedList;
  const all = pagedList<Group>({
    fetch: apiPages('/api/groups/', { search: q, category }), render: groupItem,
    label: 'Groups', id: 'groups-list', class: 'user-list', empty: q || category ? 'No group matches.' : 'No group yet: create the first one.',
  });
  const mine = pagedList<Group>({
    fetch: apiPages('/api/groups/mine/'), render: groupItem,
    label: 'My groups', id: 'my-groups', class: 'user-list', empty: 'You are in no group yet.',
  });
  invitations = pagedList<GroupInvitation>({
    fetch: apiPages('/api/groups/invitations/'), label: 'Invitations to groups', id: 'group-invitations', class: 'user-list',
    empty: 'No invitation.',
    render: (i) => h('li', { class: 'user-item' },
      h('span', { class: 'grow' }, link(`/groups/${i.group.id}`, i.group.name),
        i.inviter ? h('span', { class: 'muted small' }, ` from ${i.inviter.username}`) : null),
      h('span', { class: 'inline' },
        actionButton('Accept', `Accept the invitation to ${i.group.name}`, async () => {
          await answerGroupInvitation(i.group.id, true);
          navigate(`/groups/${i.group.id}`);
        }, 'small primary'),
        actionButton('Decline', `Decline the invitation to ${i.group.name}`, async () => {
          await answerGroupInvitation(i.group.id, false);
          invitations.reload();
        }, 'small'))),
  });
  const offs = [on('group_invite', () => invitations.reload()), on('connected', () => { invitations.reload(); mine.reload(); })];

  root.append(
    h('h1', null, 'Groups'),
    h('div', { class: 'grid2' },
      h('div', null,
        h('section', { class: 'card', 'aria-labelledby': 'all-groups-title' }, h('h2', { id: 'all-groups-title' }, 'Browse groups'), searchForm(q, category), all.el)),
      h('div', null,
        h('section', { class: 'card', 'aria-labelledby': 'my-groups-title' }, h('h2', { id: 'my-groups-title' }, 'My groups'), mine.el),
        h('section', { class: 'card', 'aria-labelledby': 'group-inv-title' }, h('h2', { id: 'group-inv-title' }, 'Invitations'), invitations.el),
        groupForm())),
  );
  return () => offs.forEach((off) => off());
}
