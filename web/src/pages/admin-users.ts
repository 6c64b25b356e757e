// Staff: every user, with search, an active/inactive filter and ordering in the address,
// and deactivate / activate. Routed and linked only for staff (the API refuses others anyway).
import { api, me, type User } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { fmtDate } from './video';

export const isStaff = (u: User | null) => !!u && (!!u.is_staff || !!u.is_superuser);

export function adminUsersPage(root: HTMLElement) {
  if (!isStaff(me())) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Staff only'), h('p', null, 'This page is for staff.'), link('/', 'Back')));
    return;
  }
  const q = queryParam('search') ?? '';
  const active = queryParam('is_active') ?? '';
  const order = queryParam('ordering') ?? 'username';
  const search = h('input', { type: 'search', name: 'search', id: 'admin-search', value: q, placeholder: 'Username, email or name' });
  const activeSel = h('select', { name: 'is_active', id: 'admin-active' },
    ...[['', 'Everyone'], ['true', 'Active'], ['false', 'Deactivated']].map(([v, t]) => h('option', { value: v, selected: v === active }, t)));
  const ordering = h('select', { name: 'ordering', id: 'admin-ordering' },
    ...[['username', 'Username A–Z'], ['-username', 'Username Z–A'], ['-date_joined', 'Newest'], ['date_joined', 'Oldest']]
      .map(([v, t]) => h('option', { value: v, selected: v === order }, t)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Find users',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (search.value.trim()) p.set('search', search.value.trim());
      if (activeSel.value) p.set('is_active', activeSel.value);
      if (ordering.value !== 'username') p.set('ordering', ordering.value);
      const s = p.toString();
      navigate(`/admin/users${s ? '?' + s : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search'), search),
    h('div', { class: 'field' }, h('label', { for: activeSel.id }, 'State'), activeSel),
    h('div', { class: 'field' }, h('label', { for: ordering.id }, 'Order by'), ordering),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
  activeSel.addEventListener('change', () => form.requestSubmit());
  ordering.addEventListener('change', () => form.requestSubmit());


  function row(u: User) {
    const li = h('li', { class: 'user-item', dataset: { id: u.id } });
    const render = () => {
      const self = me()?.id === u.id;
      const btn = h('button', {
        class: `small ${u.is_active ? 'danger' : ''}`, disabled: self, title: self ? 'You cannot change your own account' : null,
        'aria-label': `${u.is_active ? 'Deactivate' : 'Activate'} ${u.username}`,
        onclick: async () => {
          if (u.is_active && !confirm(`Deactivate ${u.username}? Their sessions end at once.`)) return;
          btn.disabled = true;
          try {
            u = await api<User>(`/api/admin/users/${u.id}/${u.is_active ? 'deactivate' : 'activate'}/`, { method: 'POST' });
            toast(`${u.username} ${u.is_active ? 'activated' : 'deactivated'}`);
            render();
            (li.querySelector('button') as HTMLElement).focus();
          } catch (e) {
            toastError(e);
            btn.disabled = false;
          }
        },
      }, u.is_active ? 'Deactivate' : 'Activate');
      clear(li,
        h('div', { class: 'grow' },
          link(`/users/${u.id}`, u.username, { class: 'user-name' }),
          u.is_superuser ? h('span', { class: 'badge' }, 'superuser') : u.is_staff ? h('span', { class: 'badge' }, 'staff') : null,
          !u.is_active ? h('span', { class: 'badge failed' }, 'deactivated') : null,
          h('div', { class: 'muted small' }, `${u.email ?? ''} · joined ${fmtDate(u.date_joined as string)}`)),
        btn);
    };
    render();
    return li;
  }

  const list = pagedList<User>({
    fetch: apiPages('/api/admin/users/', { search: q, is_active: active, ordering: order }, 25),
    render: row, label: 'Users', id: 'admin-users', class: 'user-list admin-users', empty: 'No user matches.',
  });
  root.append(h('h1', null, 'Users'), form, h('section', { class: 'card' }, list.el));
}
