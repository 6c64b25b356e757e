// Store (#18): equipped badges as the profile and party chat show them
// (`badges` on GET /api/users/{id}/ and on live chat messages).
import { h } from './ui';

export interface Badge { item_id: string; name: string; image: string }

/** The badges in a row, each its image with the name as its label; null when none. */
export function badgeList(badges: Badge[] | undefined, cls = 'badges'): HTMLElement | null {
  if (!badges || !badges.length) return null;
  return h('span', { class: cls, role: 'list', 'aria-label': 'Badges' },
    ...badges.map((b) => h('span', { class: 'badge-item', role: 'listitem', title: b.name, 'aria-label': b.name, dataset: { item: b.item_id } },
      b.image || '★')));
}
