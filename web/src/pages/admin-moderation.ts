// Moderation (#19): the staff queue at /admin/moderation. One item per reported or
// flagged object: the counts, the content inline, the reports and flags, and the
// actions (remove or restore the content, warn / mute / suspend / ban its author,
// dismiss). A page of its own; the admin area links it with one entry (ADMIN_PAGES
// or the user menu), nothing else.
import { api, me } from '../api';
import { h, toast, fmtDateTime } from '../ui';
import { toastError } from '../toast';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { isStaff } from './admin-users';

interface Report { id: string; report_type: string; description: string; reporter_id: string | null; created_at: string }
interface Flag { id: string; signal: string; detail: string; excerpt: string; created_at: string }
interface QueueItem {
  content_type: string;
  object_id: string;
  reports_count: number;
  flags_count: number;
  report_types: Record<string, number>;
  last_at: string;
  content: { author_id: string | null; text: string; context: string; removed: boolean } | null;
  removed_by_moderation: boolean;
  reports: Report[];
  flags: Flag[];
}

const TYPES: [string, string][] = [
  ['', 'Everything'], ['video_comment', 'Comments'], ['party_message', 'Party chat'], ['direct_message', 'Messages'],
  ['video', 'Videos'], ['party', 'Parties'], ['user', 'Users'], ['group', 'Groups'], ['event', 'Events'],
];
const REMOVABLE = new Set(['video_comment', 'party_message', 'direct_message', 'video', 'user']);
const PERIODS: [number, string][] = [[3600, '1 hour'], [86400, '1 day'], [7 * 86400, '7 days'], [30 * 86400, '30 days']];

async function act(body: Record<string, unknown>, done: string) {
  await api('/api/moderation/actions/', { method: 'POST', body });
  toast(done);
}

function askReason(what: string): string | null {
  const r = prompt(`Reason (${what}); the user sees it:`);
  return r && r.trim() ? r.trim() : null;
}

export function adminModerationPage(root: HTMLElement) {
  if (!isStaff(me())) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Staff only'), h('p', null, 'This page is for staff.'), link('/', 'Back')));
    return;
  }
  const type = queryParam('content_type') ?? '';
  const typeSel = h('select', { id: 'queue-type', name: 'content_type' },
    ...TYPES.map(([v, t]) => h('option', { value: v, selected: v === type }, t)));
  typeSel.addEventListener('change', () => navigate(`/admin/moderation${typeSel.value ? '?content_type=' + typeSel.value : ''}`));
  const period = h('select', { id: 'queue-period', name: 'duration_s', 'aria-label': 'Period of a mute or suspension' },
    ...PERIODS.map(([v, t]) => h('option', { value: String(v) }, t)));

  function item(q: QueueItem) {
    const li = h('li', { class: 'queue-item card tight', dataset: { type: q.content_type, id: q.object_id } });
    const author = q.content?.author_id ?? null;
    const run = async (btn: HTMLButtonElement, work: () => Promise<void>) => {
      btn.disabled = true;
      try {
        await work();
        await list.reload();
      } catch (e) {
        toastError(e);
        btn.disabled = false;
      }
    };
    const button = (label: string, cls: string, work: () => Promise<void>) => {
      const b = h('button', { type: 'button', class: `small ${cls}` }, label);
      b.addEventListener('click', () => run(b, work));
      return b;
    };
    const onObject = { content_type: q.content_type, object_id: q.object_id };
    const userAction = (action: string, label: string, timed: boolean) => author ? button(label, `${action}-author`, async () => {
      const reason = askReason(label.toLowerCase());
      if (!reason) return;
      // The item stays in the queue: removing the content or dismissing it closes it.
      await act({ action, user_id: author, reason, ...(timed ? { duration_s: Number(period.value) } : {}) }, `${label}: done`);
    }) : null;
    const types = Object.entries(q.report_types).map(([t, n]) => `${t} ×${n}`).join(', ');
    li.append(
      h('div', { class: 'queue-head' },
        h('strong', null, q.content_type.replace('_', ' ')),
        h('span', { class: 'muted small' }, ` · ${q.reports_count} report${q.reports_count === 1 ? '' : 's'}`,
          q.flags_count ? ` · ${q.flags_count} flag${q.flags_count === 1 ? '' : 's'}` : '', types ? ` · ${types}` : '',
          ` · latest ${fmtDateTime(q.last_at)}`)),
      q.content
        ? h('blockquote', { class: `queue-content${q.content.removed ? ' muted' : ''}` },
          h('div', { class: 'muted small' }, q.content.context, author ? [' · by ', link(`/users/${author}`, 'author')] : null,
            q.removed_by_moderation ? ' · removed by moderation' : q.content.removed ? ' · deleted' : ''),
          h('p', { class: 'queue-text' }, q.content.text || '(no text)'))
        : h('p', { class: 'muted' }, 'The content is gone.'),
      h('ul', { class: 'queue-reports small' },
        ...q.reports.map((r) => h('li', null, `${r.report_type}${r.description ? ': ' + r.description : ''}`)),
        ...q.flags.map((f) => h('li', null, `flag (${f.signal}): ${f.detail}`))),
      h('div', { class: 'inline queue-actions' },
        REMOVABLE.has(q.content_type) && q.content && !q.removed_by_moderation
          ? button('Remove', 'danger remove-content', async () => {
            const reason = askReason('removal');
            if (reason) await act({ action: 'remove_content', reason, ...onObject }, 'Content removed');
          }) : null,
        q.removed_by_moderation ? button('Restore', 'restore-content', async () => {
          const reason = askReason('restore');
          if (reason) await act({ action: 'lift', reason, ...onObject }, 'Content restored');
        }) : null,
        userAction('warn', 'Warn', false),
        userAction('mute', 'Mute', true),
        userAction('suspend', 'Suspend', true),
        userAction('ban', 'Ban', false),
        button('Dismiss', 'dismiss', async () => {
          await api(`/api/moderation/queue/${q.content_type}/${q.object_id}/resolve/`, { method: 'POST', body: { status: 'dismissed' } });
          toast('Dismissed');
        })));
    return li;
  }

  const list = pagedList<QueueItem>({
    fetch: apiPages('/api/moderation/queue/', type ? { content_type: type } : {}, 20),
    render: item, label: 'Moderation queue', id: 'moderation-queue', class: 'queue-list', empty: 'Nothing to review.',
  });
  root.append(h('h1', null, 'Moderation queue'),
    h('div', { class: 'card filters filter-row' },
      h('div', { class: 'field' }, h('label', { for: typeSel.id }, 'Show'), typeSel),
      h('div', { class: 'field' }, h('label', { for: period.id }, 'Mute / suspend for'), period)),
    h('section', { class: 'card' }, list.el));

}
