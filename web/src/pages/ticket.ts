// One ticket (/support/<id>): the description, the thread, a reply form with files; for
// staff also internal notes (marked, never shown to the owner), status, priority, the
// assignee and admin notes. The owner closes, or reopens within the window.
import { api, me } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { link } from '../nav';
import { onSubmit, errorBox, inputField } from '../forms';
import { fmtDate } from './video';
import { isStaff } from './admin-users';
import {
  type Attachment, type Reply, type Ticket, PRIORITIES, STATUSES, label, getTicket, listReplies, addReply,
  changeTicket, assignTicket, uploadAll,
} from '../support/api';

function files(list: Attachment[]): HTMLElement | null {
  if (!list.length) return null;
  return h('ul', { class: 'ticket-files' }, ...list.map((a) => h('li', null,
    h('a', { href: a.url, target: '_blank', rel: 'noopener' }, a.filename), ` (${Math.ceil(a.size / 1024)} KiB)`)));
}

function replyItem(r: Reply): HTMLElement {
  return h('li', { class: `ticket-reply${r.is_internal ? ' internal' : ''}${r.from_staff ? ' staff' : ''}`, dataset: { id: r.id } },
    h('p', { class: 'muted small' }, r.author?.username ?? 'someone', r.from_staff ? ' (support)' : '',
      r.is_internal ? h('strong', { class: 'badge' }, ' Internal note') : null, ` · ${fmtDate(r.created_at)}`),
    h('p', { class: 'ticket-text' }, r.content), files(r.attachments));
}

function staffTools(t: Ticket, redraw: (t: Ticket) => void): HTMLElement {
  const status = h('select', { id: 'ticket-status', 'aria-label': 'Status' },
    ...STATUSES.map((s) => h('option', { value: s, selected: s === t.status }, label(s))));
  const priority = h('select', { id: 'ticket-priority', 'aria-label': 'Priority' },
    ...PRIORITIES.map((p) => h('option', { value: p, selected: p === t.priority }, label(p))));
  const notes = h('textarea', { id: 'ticket-notes', rows: 2, 'aria-label': 'Admin notes' }, t.admin_notes ?? '');
  const save = async (body: Record<string, unknown>) => {
    try { redraw(await changeTicket(t.id, body)); toast('Saved'); } catch (e) { toastError(e, 'Not saved'); }
  };
  status.addEventListener('change', () => save({ status: status.value }));
  priority.addEventListener('change', () => save({ priority: priority.value }));
  const mine = t.assigned_to?.id === me()?.id;
  return h('section', { class: 'card staff-tools', 'aria-label': 'Staff tools' },
    h('div', { class: 'filter-row' },
      h('div', { class: 'field' }, h('label', { for: status.id }, 'Status'), status),
      h('div', { class: 'field' }, h('label', { for: priority.id }, 'Priority'), priority),
      h('div', { class: 'field' }, h('span', null, 'Assigned to: ', t.assigned_to?.username ?? 'nobody'), ' ',
        h('button', { type: 'button', class: 'small', onclick: async () => {
          try { redraw(await assignTicket(t.id, mine ? null : me()!.id)); } catch (e) { toastError(e); }
        } }, mine ? 'Unassign' : 'Assign to me'))),
    h('div', { class: 'field' }, h('label', { for: notes.id }, 'Admin notes (staff only)'), notes,
      h('button', { type: 'button', class: 'small', onclick: () => save({ admin_notes: notes.value }) }, 'Save notes')),
    h('p', { class: 'muted small' }, t.first_reply_ms != null
      ? `First staff reply after ${Math.round(t.first_reply_ms / 60000)} min` : 'No staff reply yet'));
}

export async function ticketPage(root: HTMLElement, [id]: string[]) {
  const staff = isStaff(me());
  let ticket = await getTicket(id);
  const head = h('div');
  const thread = h('ul', { class: 'ticket-thread', 'aria-label': 'Replies', id: 'ticket-thread' });
  const loadThread = async () => {
    const page = await listReplies(id);
    clear(thread, ...page.results.map(replyItem));
  };
  const draw = (t: Ticket) => {
    ticket = t;
    const own = t.user.id === me()?.id;
    const finished = t.status === 'resolved' || t.status === 'closed';
    const canReopen = finished && (staff || (t.reopen_until && Date.parse(t.reopen_until) > Date.now()));
    clear(head,
      h('header', { class: 'page-head' }, h('h1', null, t.subject),
        h('p', null, h('span', { class: `badge status-${t.status}`, id: 'ticket-status-badge' }, label(t.status)),
          ` · ${label(t.category)} · ${t.priority} · opened by ${t.user.username} ${fmtDate(t.created_at)}`)),
      h('section', { class: 'card' }, h('p', { class: 'ticket-text' }, t.description), files(t.attachments),
        (own || staff) && !finished ? h('button', { type: 'button', class: 'small', onclick: () => move('close') }, 'Close ticket') : null,
        canReopen ? h('button', { type: 'button', class: 'small', onclick: () => move('reopen') }, 'Reopen') : null),
      staff ? staffTools(t, draw) : null);
  };
  const move = async (what: 'close' | 'reopen') => {
    try {
      draw(await api<Ticket>(`/api/support/tickets/${id}/${what}/`, { method: 'POST' }));
    } catch (e) { toastError(e); }
  };

  const content = h('textarea', { name: 'content', id: 'reply-content', rows: 4, maxlength: 10000, required: true });
  const attach = h('input', { type: 'file', name: 'files', multiple: true });
  const internal = h('input', { type: 'checkbox', name: 'is_internal', id: 'reply-internal' });
  const fields = { content: inputField('Your reply', content), attachment_ids: inputField('Files (optional)', attach) };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send reply');
  const form = h('form', { class: 'card', 'aria-label': 'Reply' }, fields.content.el, fields.attachment_ids.el,
    staff ? h('label', { class: 'check' }, internal, ' Internal note (staff only)') : null, box, submit);
  onSubmit(form, {
    fields, box, submit,
    action: async () => addReply(id, { content: content.value, is_internal: staff && internal.checked,
      attachment_ids: await uploadAll(attach) }),
    done: async () => {
      form.reset();
      draw(await getTicket(id));
      await loadThread();
    },
  });
  draw(ticket);
  await loadThread();
  root.append(head, h('section', { class: 'card' }, h('h2', null, 'Conversation'), thread), form,
    h('p', null, link(staff ? '/admin/tickets' : '/support/tickets', staff ? 'Back to the queue' : 'My tickets')));
}
