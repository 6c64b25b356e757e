// Achievements (#18) at /achievements: every achievement with my progress
// towards it, the unlocked ones first, and the coins each pays.
import { api } from '../api';
import { h, fmtDateTime } from '../ui';

interface Achievement {
  key: string; title: string; description: string; threshold: number; reward: number;
  progress: number; unlocked: boolean; unlocked_at: string | null;
}

function row(a: Achievement) {
  const bar = h('progress', { max: String(a.threshold), value: String(a.progress), 'aria-label': `${a.title} progress` });
  return h('li', { class: a.unlocked ? 'unlocked' : '', dataset: { key: a.key } },
    h('strong', null, a.title), h('span', { class: 'muted small' }, ` · ${a.reward} coins`),
    h('p', { class: 'small' }, a.description), bar,
    h('span', { class: 'muted small' }, a.unlocked ? ` Unlocked ${fmtDateTime(a.unlocked_at)}` : ` ${a.progress} / ${a.threshold}`));
}

export async function achievementsPage(root: HTMLElement) {
  const all = (await api<{ results: Achievement[] }>('/api/achievements/')).results;
  const sorted = [...all.filter((a) => a.unlocked), ...all.filter((a) => !a.unlocked)];
  root.append(h('h1', null, 'Achievements'),
    h('section', { class: 'card' },
      h('p', { class: 'muted' }, `${all.filter((a) => a.unlocked).length} of ${all.length} unlocked.`),
      h('ul', { class: 'plist achievements', id: 'achievements' }, ...sorted.map(row))));
}
