// Staff: send a message to every open page (party rooms and the rest) or to a segment
// (staff, a plan's users) and, unless unticked, a notification to its audience; then
// watch its delivery (sockets per node, notifications sent).
import { api } from '../../api';
import { addPlanOptions } from '../../plan-options';
import { toastError } from '../../toast';
import { h, clear, fmtDateTime } from '../../ui';
import { errorBox, inputField, onSubmit } from '../../forms';

interface Status {
  id: string; message: string; severity: string; audience: string; plan: string | null; expires_at: string | null; created_at: string;
  delivery: { sockets: number; nodes: { node_id: string; sockets: number }[] };
  notification: { status: string; recipients: number } | null;
}

function statusView(s: Status) {
  return h('div', { id: 'broadcast-status' },
    h('p', null, `Delivered to ${s.delivery.sockets} open socket(s) on ${s.delivery.nodes.length} node(s).`),
    h('p', null, s.notification ? `Notifications: ${s.notification.status}, ${s.notification.recipients} sent.` : 'No notification.'));
}

export function broadcastPage(root: HTMLElement) {
  const message = h('textarea', { name: 'message', id: 'broadcast-message', rows: 3, maxlength: 1000, required: true });
  const severity = h('select', { name: 'severity', id: 'broadcast-severity' },
    ['info', 'warning', 'critical'].map((v) => h('option', { value: v }, v)));
  const audience = h('select', { name: 'audience', id: 'broadcast-audience' },
    h('option', { value: 'all' }, 'Everyone'), h('option', { value: 'staff' }, 'Staff only'));
  addPlanOptions(audience, (name) => `${name} plan`, (id) => `plan:${id}`).catch(toastError);
  const expires = h('input', { type: 'datetime-local', name: 'expires_at', id: 'broadcast-expires' });
  const notify = h('input', { type: 'checkbox', name: 'notify', id: 'broadcast-notify', checked: true });
  const fields = {
    message: inputField('Message', message),
    severity: inputField('Severity', severity),
    audience: inputField('Audience', audience, 'Everyone: every open page shows the banner. A segment: only its members see it.'),
    expires_at: inputField('Shown until (optional)', expires, 'Pages opened before then show it too.'),
  };
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'broadcast-submit' }, 'Send');
  const status = h('section', { class: 'card', 'aria-live': 'polite', id: 'broadcast-result', hidden: true });
  const form = h('form', { class: 'card' }, fields.message.el,
    h('div', { class: 'filter-row' }, fields.severity.el, fields.audience.el, fields.expires_at.el),
    h('label', { for: notify.id }, notify, ' Also send a notification'), box, submit);
  root.append(h('h1', null, 'Broadcast'), form, status);
  let poll: number | undefined;
  onSubmit(form, {
    fields, box, submit,
    action: () => api<Status>('/api/admin/broadcast/', {
      method: 'POST',
      body: {
        message: message.value, severity: severity.value, notify: notify.checked,
        ...(audience.value.startsWith('plan:') ? { audience: 'plan', plan: audience.value.slice(5) } : { audience: audience.value }),
        ...(expires.value ? { expires_at: new Date(expires.value).toISOString() } : {}),
      },
    }),
    done: (b) => {
      status.hidden = false;
      clear(status, h('h2', null, `Sent ${fmtDateTime(b.created_at)}`), h('p', null, b.message));
      message.value = '';
      let rounds = 0;
      clearInterval(poll);
      poll = window.setInterval(async () => {
        const s = await api<Status>(`/api/admin/broadcast/${b.id}/`);
        status.querySelector('#broadcast-status')?.remove();
        status.append(statusView(s));
        if (++rounds >= 10 || s.notification?.status === 'done') clearInterval(poll);
      }, 1000);
    },
  });
  return () => clearInterval(poll);
}
