// Staff: the ticket queue (/admin/tickets) with its filters in the address (status, priority,
// category, assignee: me / unassigned) and the summary (queue counts, time to a first reply).
// Its own page: the admin area links it with one entry.
import { api, me } from '../api';
import { h } from '../ui';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { isStaff } from './admin-users';
import { ticketRow } from './tickets';
import { type Ticket, CATEGORIES, PRIORITIES, STATUSES, label } from '../support/api';

const minutes = (ms: number | null) => (ms == null ? '–' : `${Math.round(ms / 60000)} min`);

function select(id: string, name: string, value: string, options: [string, string][]) {
  return h('select', { id, name }, ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

export async function adminTicketsPage(root: HTMLElement) {
  if (!isStaff(me())) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Staff only'), link('/', 'Back')));
    return;
  }
  const q = (n: string) => queryParam(n) ?? '';
  const s = await api<any>('/api/support/staff/summary/');
  const summary = h('section', { class: 'card', 'aria-label': 'Summary', id: 'ticket-summary' },
    h('p', null, `Open ${s.by_status.open} · pending ${s.by_status.pending} · unassigned ${s.unassigned} · urgent ${s.urgent}`,
      ` · awaiting a first reply ${s.awaiting_first_reply}`),
    h('p', { class: 'muted' }, `First staff reply over ${s.first_reply.days} days: average ${minutes(s.first_reply.avg_ms)},`,
      ` longest ${minutes(s.first_reply.max_ms)} (${s.first_reply.answered} tickets)`));
  const any: [string, string] = ['', 'Any'];
  const status = select('q-status', 'status', q('status'), [any, ...STATUSES.map((x): [string, string] => [x, label(x)])]);
  const priority = select('q-priority', 'priority', q('priority'), [any, ...PRIORITIES.map((x): [string, string] => [x, label(x)])]);
  const category = select('q-category', 'category', q('category'), [any, ...CATEGORIES.map((x): [string, string] => [x, label(x)])]);
  const who = select('q-who', 'who', q('who'), [['', 'Anyone'], ['me', 'Assigned to me'], ['unassigned', 'Unassigned']]);
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Filter the queue',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const el of [status, priority, category, who]) if (el.value) p.set(el.name, el.value);
      const qs = p.toString();
      navigate(`/admin/tickets${qs ? '?' + qs : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    ...[[status, 'Status'], [priority, 'Priority'], [category, 'Topic'], [who, 'Assignee']].map(([el, text]) =>
      h('div', { class: 'field' }, h('label', { for: (el as HTMLElement).id }, text as string), el as HTMLElement)),
    h('button', { type: 'submit', class: 'primary' }, 'Filter')));
  for (const el of [status, priority, category, who]) el.addEventListener('change', () => form.requestSubmit());
  const query: Record<string, string> = { status: q('status'), priority: q('priority'), category: q('category') };
  if (q('who') === 'me') query.assignee = 'me';
  if (q('who') === 'unassigned') query.unassigned = 'true';
  const list = pagedList<Ticket>({
    fetch: apiPages('/api/support/staff/tickets/', query), render: (t) => ticketRow(t, true),
    empty: 'No tickets match.', label: 'Ticket queue', id: 'ticket-queue',
  });
  root.append(h('h1', null, 'Support tickets'), summary, form, h('section', { class: 'card' }, list.el));
}
