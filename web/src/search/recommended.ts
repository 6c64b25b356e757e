// "Recommended for you" on the home page (#22): what the recommendations job
// stored for me, each with its reason.
import { api } from '../api';
import { h } from '../ui';
import { link } from '../nav';

interface Rec { id: string; type: string; title: string; reason: string; url: string }

/** "Recommended for you" on the home page. */
export function recommendedSection(): HTMLElement {
  const section = h('section', { class: 'card', id: 'recommended', 'aria-label': 'Recommended for you' },
    h('h2', null, 'Recommended for you'));
  api<{ videos: Rec[]; parties: Rec[] }>('/api/recommendations/').then((r) => {
    const items = [...r.parties, ...r.videos].slice(0, 10);
    if (items.length === 0) return section.append(h('p', { class: 'muted' }, 'Watch something and suggestions will appear here.'));
    section.append(h('ul', null, items.map((it) => h('li', null, link(it.url, it.title || it.type), ' ',
      h('span', { class: 'muted small' }, it.reason)))));
  }).catch(() => section.remove());
  return section;
}
