// The public videos: search, category and tag filters and ordering kept in the address
// (?search=&category=&tag=&ordering=), so the back button returns to the same results.
import { h, clear, fmtTime } from '../ui';
import { pagedList, apiPages } from '../list';
import { link, navigate, queryParam } from '../nav';
import { statusBadge, fmtDate, type Video } from './video';

const ORDERINGS: [string, string][] = [
  ['-created_at', 'Newest'],
  ['created_at', 'Oldest'],
  ['-view_count', 'Most viewed'],
  ['-like_count', 'Most liked'],
  ['title', 'Title A–Z'],
  ['-title', 'Title Z–A'],
];
const PAGE = 20;

export function videoCard(v: Video) {
  return h('li', { class: 'video-item' },
    v.thumbnail_url && v.status === 'ready' ? h('img', { src: v.thumbnail_url, alt: '', width: 96, height: 54, loading: 'lazy' }) : h('div', { class: 'thumb-ph' }),
    h('div', { class: 'video-meta' },
      link(`/videos/${v.id}`, v.title, { class: 'video-title' }),
      h('div', { class: 'muted small' }, v.status !== 'ready' ? statusBadge(v) : null,
        `${v.uploader.username} · ${v.view_count} views · 👍 ${v.like_count} · ${fmtDate(v.created_at)}`, v.duration ? ` · ${fmtTime(v.duration)}` : '')));
}

export function browseVideosPage(root: HTMLElement) {
  const search = h('input', { name: 'search', type: 'search', value: queryParam('search') ?? '', placeholder: 'Title or description', id: 'video-search' });
  const category = h('input', { name: 'category', value: queryParam('category') ?? '', placeholder: 'Any', id: 'video-category' });
  const tag = h('input', { name: 'tag', value: queryParam('tag') ?? '', placeholder: 'Any', id: 'video-tag' });
  const current = queryParam('ordering') ?? '-created_at';
  const ordering = h('select', { name: 'ordering', id: 'video-ordering' }, ...ORDERINGS.map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Find videos',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (search.value.trim()) q.set('search', search.value.trim());
      if (category.value.trim()) q.set('category', category.value.trim());
      if (tag.value.trim()) q.set('tag', tag.value.trim().replace(/^#/, ''));
      if (ordering.value !== '-created_at') q.set('ordering', ordering.value);
      const s = q.toString();
      navigate(`/videos/browse${s ? '?' + s : ''}`);
    },
  },
    h('div', { class: 'filter-row' },
      h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search'), search),
      h('div', { class: 'field' }, h('label', { for: category.id }, 'Category'), category),
      h('div', { class: 'field' }, h('label', { for: tag.id }, 'Tag'), tag),
      h('div', { class: 'field' }, h('label', { for: ordering.id }, 'Order by'), ordering),
      h('button', { type: 'submit', class: 'primary' }, 'Search')));
  ordering.addEventListener('change', () => form.requestSubmit());

  const filtered = !!(search.value || category.value || tag.value);
  const list = pagedList<Video>({
    fetch: apiPages('/api/videos/', { search: search.value.trim(), category: category.value.trim(), tag: tag.value.trim(), ordering: current }, PAGE),
    render: videoCard, label: 'Videos', id: 'browse-list', class: 'video-list',
    empty: filtered ? 'No video matches.' : 'No public video yet.',
  });
  clear(root, h('h1', null, 'Videos'), form, h('section', { class: 'card' }, list.el));
}
