// Staff: every user, with search, a state filter (active, deactivated, muted, suspended,
// banned) and ordering in the address; deactivate / activate, moderation actions on one user
// (warn, mute, suspend, ban, lift) and the same on the users ticked (bulk). Routed and linked
// only for staff (the API refuses others anyway).
import { api, me, type User } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { fmtDate } from './video';
import { addPlanOptions } from '../plan-options';

export const isStaff = (u: User | null) => !!u && (!!u.is_staff || !!u.is_superuser);

export function adminUsersPage(root: HTMLElement) {
  if (!isStaff(me())) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Staff only'), h('p', null, 'This page is for staff.'), link('/', 'Back')));
    return;
  }
  const q = queryParam('search') ?? '';
  const status = queryParam('status') ?? '';
  const order = queryParam('ordering') ?? 'username';
  const plan = queryParam('plan') ?? '';
  const search = h('input', { type: 'search', name: 'search', id: 'admin-search', value: q, placeholder: 'Username, email or name' });
  const statusSel = h('select', { name: 'status', id: 'admin-status' },
    ...[['', 'Everyone'], ['active', 'Active'], ['inactive', 'Deactivated'], ['muted', 'Muted'], ['suspended', 'Suspended'], ['banned', 'Banned']]
      .map(([v, t]) => h('option', { value: v, selected: v === status }, t)));
  const planSel = h('select', { name: 'plan', id: 'admin-plan' }, h('option', { value: '' }, 'Any plan'));
  addPlanOptions(planSel, (name) => name, (id) => id, plan).catch(toastError);
  const ordering = h('select', { name: 'ordering', id: 'admin-ordering' },
    ...[['username', 'Username A–Z'], ['-username', 'Username Z–A'], ['-date_joined', 'Newest'], ['date_joined', 'Oldest']]
      .map(([v, t]) => h('option', { value: v, selected: v === order }, t)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Find users',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (search.value.trim()) p.set('search', search.value.trim());
      if (statusSel.value) p.set('status', statusSel.value);
      if (planSel.value) p.set('plan', planSel.value);
      if (ordering.value !== 'username') p.set('ordering', ordering.value);
      const s = p.toString();
      navigate(`/admin/users${s ? '?' + s : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search'), search),
    h('div', { class: 'field' }, h('label', { for: statusSel.id }, 'State'), statusSel),
    h('div', { class: 'field' }, h('label', { for: planSel.id }, 'Plan'), planSel),
    h('div', { class: 'field' }, h('label', { for: ordering.id }, 'Order by'), ordering),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
  statusSel.addEventListener('change', () => form.requestSubmit());
  planSel.addEventListener('change', () => form.requestSubmit());
  const picked = new Set<string>();
  const bulk = bulkBar(picked, () => list.reload());
  ordering.addEventListener('change', () => form.requestSubmit());


  function row(u: User) {
    const li = h('li', { class: 'user-item', dataset: { id: u.id } });
    const render = () => {
      const self = me()?.id === u.id;
      const tick = h('input', { type: 'checkbox', class: 'pick', 'aria-label': `Select ${u.username}`, checked: picked.has(u.id), disabled: self });
      tick.addEventListener('change', () => { if (tick.checked) picked.add(u.id); else picked.delete(u.id); bulk.update(); });
      const moderate = h('button', { class: 'small', 'aria-label': `Moderate ${u.username}`, disabled: self, 'aria-expanded': 'false' }, 'Moderate…');
      const panel = h('div', { class: 'moderate-panel', hidden: true });
      moderate.addEventListener('click', () => {
        const open = panel.hidden;
        panel.hidden = !open;
        moderate.setAttribute('aria-expanded', String(open));
        if (open) clear(panel, actionForm(`${u.username}`, async (body) => {
          const a = await moderateUser(u.id, body);
          toast(`${u.username}: ${a.action}`);
          panel.hidden = true;
          moderate.setAttribute('aria-expanded', 'false');
        }));
      });
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
      clear(li, tick,
        h('div', { class: 'grow' },
          link(`/users/${u.id}`, u.username, { class: 'user-name' }),
          u.is_superuser ? h('span', { class: 'badge' }, 'superuser') : u.is_staff ? h('span', { class: 'badge' }, 'staff') : null,
          !u.is_active ? h('span', { class: 'badge failed' }, 'deactivated') : null,
          h('div', { class: 'muted small' }, `${u.email ?? ''} · joined ${fmtDate(u.date_joined as string)}`),
          panel),
        moderate, btn);
    };
    render();
    return li;
  }

  const list = pagedList<User>({
    fetch: apiPages('/api/admin/users/', { search: q, status, plan, ordering: order }, 25),
    render: row, label: 'Users', id: 'admin-users', class: 'user-list admin-users', empty: 'No user matches.',
  });
  root.append(h('h1', null, 'Users'), form, h('section', { class: 'card' }, bulk.el, list.el));
}

type ActionBody = { action: string; reason: string; duration_s?: number };

const ACTIONS: [string, string][] = [['suspend', 'Suspend'], ['ban', 'Ban'], ['unsuspend', 'Lift restrictions'], ['mute', 'Mute'], ['warn', 'Warn']];
const DURATIONS: [number, string][] = [[3600, '1 hour'], [86400, '1 day'], [7 * 86400, '7 days'], [30 * 86400, '30 days']];
const TIMED = new Set(['suspend', 'mute']);

// suspend, unsuspend and ban have their own routes; warn and mute are moderation actions on the user.
function moderateUser(userId: string, b: ActionBody) {
  const { action, ...rest } = b;
  return ['suspend', 'unsuspend', 'ban'].includes(action)
    ? api<{ action: string }>(`/api/admin/users/${userId}/${action}/`, { method: 'POST', body: rest })
    : api<{ action: string }>('/api/moderation/actions/', { method: 'POST', body: { ...b, user_id: userId } });
}

// An action, a reason and (suspend, mute) a duration; `apply` sends it.
function actionForm(who: string, apply: (b: ActionBody) => Promise<void>) {
  const action = h('select', { class: 'mod-action', 'aria-label': `Action on ${who}` }, ...ACTIONS.map(([v, t]) => h('option', { value: v }, t)));
  const duration = h('select', { class: 'mod-duration', 'aria-label': 'Duration' }, ...DURATIONS.map(([v, t]) => h('option', { value: String(v) }, t)));
  const reason = h('input', { class: 'mod-reason', 'aria-label': 'Reason', placeholder: 'Reason (shown to the user)', required: true, maxlength: '2000' });
  const go = h('button', { type: 'submit', class: 'small danger' }, 'Apply');
  const sync = () => { duration.hidden = !TIMED.has(action.value); };
  action.addEventListener('change', sync);
  sync();
  return h('form', {
    class: 'inline-form mod-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const body: ActionBody = { action: action.value, reason: reason.value.trim() };
      if (TIMED.has(body.action)) body.duration_s = Number(duration.value);
      go.disabled = true;
      try { await apply(body); } catch (err) { toastError(err); } finally { go.disabled = false; }
    },
  }, action, duration, reason, go);
}

// The users ticked, and one action for all of them: each succeeds or fails on its own.
function bulkBar(picked: Set<string>, done: () => void) {
  const count = h('span', { class: 'muted', id: 'bulk-count' });
  const el = h('div', { class: 'bulk-bar', id: 'bulk-bar', hidden: true });
  const update = () => {
    el.hidden = picked.size === 0;
    count.textContent = `${picked.size} selected`;
  };
  clear(el, count, actionForm('the selected users', async (b) => {
    const out = await api<{ results: { id: string; ok: boolean; error?: string }[]; failed: number }>(
      '/api/admin/users/bulk/', { method: 'POST', body: { ids: [...picked], ...b } });
    toast(out.failed ? `${out.results.length - out.failed} done, ${out.failed} failed: ${out.results.find((r) => !r.ok)?.error ?? ''}` : `${out.results.length} done`);
    picked.clear();
    update();
    done();
  }));
  return { el, update };
}
