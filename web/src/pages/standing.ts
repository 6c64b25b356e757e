// Moderation (#19): "My standing" at /standing — whether I am muted, suspended or
// banned, warnings, and every action taken on me or my content, each with a link to
// appeal it through a support ticket (category "appeal").
import { api } from '../api';
import { h, fmtDateTime } from '../ui';
import { link } from '../nav';

export interface Action { id: string; action: string; content_type: string | null; reason: string; ends_at: string | null; created_at: string }
export interface Standing {
  state: 'good' | 'muted' | 'suspended' | 'banned';
  muted_until: string | null;
  suspended_until: string | null;
  warnings: number;
  actions: Action[];
  actions_count: number;
  appeal_url: string;
}

export const LABEL: Record<string, string> = {
  warn: 'Warning', remove_content: 'Content removed', mute: 'Muted', suspend: 'Suspended', ban: 'Banned', lift: 'Lifted',
};

export function summary(s: Standing): string {
  if (s.state === 'muted') return `You are muted in party chat and messages until ${fmtDateTime(s.muted_until)}.`;
  if (s.state === 'suspended') return `Your account is suspended until ${fmtDateTime(s.suspended_until)}.`;
  if (s.state === 'banned') return 'Your account is banned.';
  return 'Your account is in good standing.';
}

export async function standingPage(root: HTMLElement) {
  const s = await api<Standing>('/api/moderation/standing/', { query: { page_size: 50 } });
  const appeal = (a: Action) => link(`${s.appeal_url}&action=${a.id}`, 'Appeal', { class: 'small' });
  root.append(h('h1', null, 'My standing'),
    h('section', { class: 'card', id: 'standing-summary' },
      h('p', { class: s.state === 'good' ? '' : 'error' }, summary(s)),
      s.warnings ? h('p', { class: 'muted' }, `${s.warnings} warning${s.warnings === 1 ? '' : 's'}.`) : null),
    h('section', { class: 'card' }, h('h2', null, 'Actions on my account'),
      s.actions.length
        ? h('ul', { class: 'plist standing-actions' }, ...s.actions.map((a) => h('li', null,
          h('strong', null, LABEL[a.action] ?? a.action), a.content_type ? ` (${a.content_type.replace('_', ' ')})` : '',
          h('span', { class: 'muted small' }, ` · ${fmtDateTime(a.created_at)}`, a.ends_at ? ` · until ${fmtDateTime(a.ends_at)}` : ''),
          h('p', null, a.reason), a.action !== 'lift' ? appeal(a) : null)))
        : h('p', { class: 'muted' }, 'None.')));
}
