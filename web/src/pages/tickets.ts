// My support tickets (/support/tickets) and a new ticket (/support/new; ?category=appeal&action=<id>
// opens an appeal of a moderation action).
import { api } from '../api';
import { h } from '../ui';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { onSubmit, errorBox, inputField } from '../forms';
import { fmtDate } from './video';
import { type Ticket, CATEGORIES, PRIORITIES, label, uploadAll } from '../support/api';

export function ticketRow(t: Ticket, staff = false): HTMLElement {
  return h('li', { class: 'ticket-item', dataset: { id: t.id } },
    link(`/support/${t.id}`, t.subject), ' ',
    h('span', { class: `badge status-${t.status}` }, label(t.status)), ' ',
    h('span', { class: 'muted small' },
      `${label(t.category)} · ${t.priority} · ${t.reply_count} repl${t.reply_count === 1 ? 'y' : 'ies'} · ${fmtDate(t.created_at)}`,
      staff ? ` · ${t.user.username}${t.assigned_to ? ' → ' + t.assigned_to.username : ' · unassigned'}` : ''));
}

export function myTicketsPage(root: HTMLElement) {
  const list = pagedList<Ticket>({
    fetch: apiPages('/api/support/tickets/'), render: (t) => ticketRow(t),
    empty: 'You have no tickets.', label: 'My tickets', id: 'my-tickets',
  });
  root.append(h('header', { class: 'page-head' }, h('h1', null, 'My tickets'),
    h('div', { class: 'actions' }, link('/support/new', 'New ticket', { class: 'button primary' }), ' ', link('/support', 'Help center'))),
  h('section', { class: 'card' }, list.el));
}

export function newTicketPage(root: HTMLElement) {
  const action = queryParam('action');
  const preset = queryParam('category') ?? (action ? 'appeal' : 'technical');
  const subject = h('input', { name: 'subject', maxlength: 200, required: true });
  const description = h('textarea', { name: 'description', rows: 6, maxlength: 10000, required: true });
  const category = h('select', { name: 'category' },
    ...CATEGORIES.map((c) => h('option', { value: c, selected: c === preset }, label(c))));
  const priority = h('select', { name: 'priority' },
    ...PRIORITIES.map((p) => h('option', { value: p, selected: p === 'normal' }, label(p))));
  const files = h('input', { type: 'file', name: 'files', multiple: true });
  const fields = {
    subject: inputField('Subject', subject), description: inputField('What happened?', description),
    category: inputField('Topic', category), priority: inputField('Priority', priority),
    attachment_ids: inputField('Files (optional)', files, 'Pictures, videos, PDF or text, checked by their content.'),
    moderation_action_id: inputField('Moderation action', h('input', { name: 'action', value: action ?? '', readonly: true })),
  };
  fields.moderation_action_id.el.hidden = !action;
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const form = h('form', { class: 'card narrow', 'aria-label': 'New ticket' },
    ...Object.values(fields).map((f) => f.el), box, submit);
  onSubmit(form, {
    fields, box, submit,
    action: async () => {
      const attachment_ids = await uploadAll(files);
      return api<Ticket>('/api/support/tickets/', { method: 'POST', body: {
        subject: subject.value, description: description.value, category: category.value, priority: priority.value,
        attachment_ids, moderation_action_id: action || undefined } });
    },
    done: (t) => navigate(`/support/${t.id}`),
  });
  root.append(h('h1', null, action ? 'Appeal a moderation decision' : 'New ticket'), form);
}
