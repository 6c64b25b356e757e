// The party room's extras beside the player: inviting people (user search), the party's
// settings (host and moderators), the reactions summary, reporting the party, and the
// "starts in" countdown of a scheduled party. room.ts owns the socket and tells these of
// changes through update() and onReaction().
import { api } from '../api';
import { toastError } from '../toast';
import { h, clear, errorText, toast } from '../ui';
import { userSearch } from './people';
import { partySettingsForm } from './party-settings';
import { inputField, errorBox, onSubmit } from '../forms';
import type { Party } from './parties';

export function startsIn(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!isFinite(s)) return '';
  if (s <= 0) return 'any moment now';
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  if (d) return `${d} d ${hh} h`;
  if (hh) return `${hh} h ${String(mm).padStart(2, '0')} min`;
  return `${mm}:${String(ss).padStart(2, '0')}`;
}

function panel(id: string, title: string, ...body: (HTMLElement | null)[]) {
  return h('details', { class: 'card tight tool', id }, h('summary', null, title), ...body);
}

export function roomTools(partyId: string, initial: Party) {
  let party = initial;
  let role = 'participant';
  const isMod = () => role === 'host' || role === 'moderator';

  // ---- scheduled countdown
  const countdown = h('strong', { id: 'starts-in', role: 'timer', 'aria-live': 'off' });
  const startNow = h('button', { class: 'primary small', id: 'start-now', hidden: true, onclick: async () => {
    startNow.disabled = true;
    try { party = await api<Party>(`/api/parties/${partyId}/start/`, { method: 'POST' }); renderBanner(); } catch (e) { toastError(e); }
    startNow.disabled = false;
  } }, 'Start now');
  const banner = h('div', { class: 'card tight notice scheduled-banner', id: 'scheduled-banner', hidden: true },
    h('span', null, 'This party is scheduled. Starts in '), countdown,
    h('span', { class: 'muted small', id: 'starts-at' }), startNow);
  function renderBanner() {
    const scheduled = party.status === 'scheduled';
    banner.hidden = !scheduled;
    if (!scheduled) return;
    countdown.textContent = startsIn((party as any).scheduled_start);
    const at = (party as any).scheduled_start ? new Date((party as any).scheduled_start) : null;
    (banner.querySelector('#starts-at') as HTMLElement).textContent = at ? ` (${at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })})` : '';
    startNow.hidden = role !== 'host';
  }
  const tick = window.setInterval(renderBanner, 1000);

  // ---- invite
  const invitePanel = panel('invite-panel', 'Invite people',
    userSearch({ label: 'Find people to invite', id: 'invite-search', action: (u) => {
      const b = h('button', { class: 'small invite-user', 'aria-label': `Invite ${u.username}` }, 'Invite');
      b.addEventListener('click', async () => {
        b.disabled = true;
        try {
          await api(`/api/parties/${partyId}/invite/`, { method: 'POST', body: { user_ids: [u.id] } });
          b.textContent = 'Invited';
          toast(`${u.username} is invited`);
        } catch (e) {
          toastError(e);
          b.disabled = false;
        }
      });
      return b;
    } }).el);

  // ---- settings (host and moderators)
  const settingsBody = h('div');
  const settingsPanel = panel('settings-panel', 'Party settings', settingsBody);
  settingsPanel.addEventListener('toggle', () => {
    if (settingsPanel.open) clear(settingsBody, partySettingsForm(party, (p) => { party = p; toast('Settings saved'); settingsPanel.open = false; }));
  });

  // ---- reactions summary
  const counts = new Map<string, number>();
  const summary = h('p', { id: 'reaction-summary', 'aria-live': 'polite' }, 'Loading…');
  const reactPanel = panel('reactions-panel', 'Reactions so far', summary);
  function renderCounts() {
    const items = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    summary.textContent = items.length ? items.map(([e, n]) => `${e} ${n}`).join('  ·  ') : 'No reactions yet.';
  }
  async function loadCounts() {
    try {
      const r = await api<{ counts: Record<string, number> }>(`/api/parties/${partyId}/react/`);
      counts.clear();
      for (const [e, n] of Object.entries(r.counts || {})) counts.set(e, n);
      renderCounts();
    } catch (e) {
      summary.textContent = errorText(e);
    }
  }
  reactPanel.addEventListener('toggle', () => { if (reactPanel.open) loadCounts(); });

  // ---- report
  const reason = h('select', { id: 'report-reason', name: 'reason' },
    ...[['spam', 'Spam'], ['abuse', 'Abuse or harassment'], ['inappropriate', 'Inappropriate content'], ['other', 'Something else']].map(([v, t]) => h('option', { value: v }, t)));
  const details = h('textarea', { id: 'report-details', name: 'description', rows: 3, maxLength: 2000 });
  const reportFields = { reason: inputField('Reason', reason), description: inputField('Details (optional)', details) };
  const reportBox = errorBox();
  const reportDone = h('p', { class: 'muted', role: 'status' });
  const reportSend = h('button', { type: 'submit', class: 'small danger' }, 'Send report');
  const reportForm = h('form', { id: 'report-form' }, reportFields.reason.el, reportFields.description.el, reportBox, reportSend, reportDone);
  onSubmit(reportForm, {
    fields: reportFields, box: reportBox, submit: reportSend,
    action: () => api(`/api/parties/${partyId}/report/`, { method: 'POST', body: { reason: reason.value, description: details.value.trim() } }),
    done: () => { details.value = ''; reportDone.textContent = 'Thank you: the report was sent to the staff.'; },
  });
  const reportPanel = panel('report-panel', 'Report this party', reportForm);

  const el = h('div', { class: 'room-tools' }, invitePanel, settingsPanel, reactPanel, reportPanel);

  return {
    el,
    banner,
    update(p: Party, r: string) {
      party = p;
      role = r;
      settingsPanel.hidden = !isMod() || party.status === 'ended';
      if (settingsPanel.hidden) settingsPanel.open = false;
      invitePanel.hidden = party.status === 'ended';
      reportPanel.hidden = role === 'host';
      renderBanner();
    },
    onReaction(emoji: string) {
      counts.set(emoji, (counts.get(emoji) || 0) + 1);
      if (reactPanel.open) renderCounts();
    },
    dispose() { clearInterval(tick); },
  };
}
