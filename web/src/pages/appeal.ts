// Appeals without a login (#19), at /appeal: a suspended or banned user cannot log in, so
// their refused login kept an appeal token (sessionStorage, this tab only). With it this
// page shows their standing, opens an appeal of an action, and follows the appeals' answers.
import { api, ApiError } from '../api';
import { h, clear, fmtDateTime } from '../ui';
import { link } from '../nav';
import { textField, errorBox, onSubmit } from '../forms';
import { toastError } from '../toast';
import { LABEL, summary, type Standing } from './standing';

const KEY = 'wp_appeal_token';

export function keepAppealToken(token: string) {
  sessionStorage.setItem(KEY, token);
}

interface Ticket { id: string; subject: string; status: string; moderation_action_id: string | null; created_at: string }
interface Reply { id: string; content: string; from_staff: boolean; created_at: string }

export async function appealPage(root: HTMLElement) {
  const token = sessionStorage.getItem(KEY);
  const headers = { 'X-Appeal-Token': token ?? '' };
  const startAgain = () => h('section', { class: 'card narrow', id: 'appeal-none' }, h('h1', null, 'Appeal'),
    h('p', null, 'Log in with your password first: when your account is suspended or banned, the login page offers an appeal.'),
    link('/login', 'Log in'));
  if (!token) return root.append(startAgain());
  let standing: Standing;
  try {
    standing = await api<Standing>('/api/moderation/appeal/standing/', { headers, query: { page_size: 50 } });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      sessionStorage.removeItem(KEY);
      return root.append(startAgain());
    }
    throw e;
  }
  const appealable = standing.actions.filter((a) => a.action !== 'lift');
  const appeals = h('ul', { class: 'plist', id: 'my-appeals', 'aria-label': 'My appeals' });
  root.append(h('h1', null, 'Appeal'),
    h('section', { class: 'card', id: 'appeal-standing' }, h('p', { class: standing.state === 'good' ? '' : 'error' }, summary(standing))));
  if (appealable.length) root.append(newAppealForm(appealable, headers, () => loadAppeals()));
  root.append(h('section', { class: 'card' }, h('h2', null, 'My appeals'), appeals));

  async function loadAppeals() {
    const page = await api<{ results: Ticket[] }>('/api/support/appeals/', { headers, query: { page_size: 20 } });
    clear(appeals, ...page.results.map((t) => appealItem(t, headers)));
    if (!page.results.length) appeals.append(h('li', { class: 'muted' }, 'None yet.'));
  }
  await loadAppeals();
}

function newAppealForm(actions: Standing['actions'], headers: Record<string, string>, opened: () => Promise<void>) {
  const action = h('select', { id: 'appeal-action', name: 'moderation_action_id' },
    ...actions.map((a) => h('option', { value: a.id }, `${LABEL[a.action] ?? a.action} · ${fmtDateTime(a.created_at)} · ${a.reason}`)));
  const subject = textField('Subject', { name: 'subject', id: 'appeal-subject', required: true, maxlength: '200' });
  const description = textField('Why should it be lifted?', { name: 'description', id: 'appeal-description', required: true, maxlength: '10000' });
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send appeal');
  const form = h('form', { class: 'card', id: 'appeal-form', 'aria-label': 'New appeal' },
    h('h2', null, 'Appeal an action'), h('label', { for: action.id }, 'Action'), action, subject.el, description.el, box, submit);
  onSubmit(form, {
    fields: { subject, description },
    box,
    submit,
    action: () => api('/api/support/appeals/', {
      method: 'POST', headers,
      body: { category: 'appeal', moderation_action_id: action.value, subject: subject.input.value.trim(), description: description.input.value.trim() },
    }),
    done: async () => {
      subject.input.value = '';
      description.input.value = '';
      await opened();
    },
  });
  return form;
}

function appealItem(t: Ticket, headers: Record<string, string>) {
  const thread = h('ol', { class: 'appeal-replies' });
  const li = h('li', { class: 'appeal', dataset: { id: t.id } },
    h('strong', null, t.subject), h('span', { class: 'badge' }, t.status),
    h('span', { class: 'muted small' }, ` · ${fmtDateTime(t.created_at)}`), thread);
  const load = async () => {
    const page = await api<{ results: Reply[] }>(`/api/support/appeals/${t.id}/replies/`, { headers });
    clear(thread, ...page.results.map((r) => h('li', null, h('span', { class: 'muted small' }, `${r.from_staff ? 'Staff' : 'You'} · ${fmtDateTime(r.created_at)}`), h('p', null, r.content))));
  };
  const text = h('input', { 'aria-label': `Reply to ${t.subject}`, class: 'appeal-reply', required: true, maxlength: '10000' });
  const send = h('button', { type: 'submit', class: 'small' }, 'Reply');
  li.append(h('form', {
    class: 'inline-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      send.disabled = true;
      try {
        await api(`/api/support/appeals/${t.id}/replies/`, { method: 'POST', headers, body: { content: text.value.trim() } });
        text.value = '';
        await load();
      } catch (err) {
        toastError(err);
      } finally {
        send.disabled = false;
      }
    },
  }, text, send));
  load().catch(toastError);
  return li;
}
