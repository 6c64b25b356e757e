// People: user search (/people?search=) and public profiles (/users/{id}). A profile
// shows exactly what the API returns for it; a private one says so.
import { badgeList, type Badge } from '../badges';
import { api, me, ApiError, type Page } from '../api';
import { h, clear, errorText } from '../ui';
import { link, navigate, queryParam } from '../nav';
import { pagedList, apiPages } from '../list';
import { fmtDate } from './video';
import { videoCard } from './browse-videos';
import { profileSocial } from './profile-social';
import { reportButton } from '../report-dialog';  // moderation (#19)
import { applyTheme, cosmeticsOf } from '../cosmetics';

export interface PublicUser {
  id: string;
  username: string;
  avatar: string | null;
  is_private: boolean;
  first_name?: string;
  last_name?: string;
  [k: string]: unknown;
}

export function avatar(u: { username: string; avatar?: string | null }, size = 40) {
  return u.avatar
    ? h('img', { class: 'avatar', src: u.avatar, alt: '', width: size, height: size, loading: 'lazy' })
    : h('span', { class: 'avatar ph', style: { width: `${size}px`, height: `${size}px` }, 'aria-hidden': 'true' }, u.username.slice(0, 1).toUpperCase());
}

export function fullName(u: PublicUser): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ');
}

/** Searches users as the person types (debounced); `pick` renders the action of a result. */
export function userSearch(opts: { label: string; id: string; action: (u: PublicUser) => HTMLElement | null }) {
  const input = h('input', { type: 'search', id: opts.id, autocomplete: 'off', placeholder: 'Username or name' });
  const results = h('ul', { class: 'user-list', 'aria-live': 'polite' });
  let timer: number | undefined;
  let seq = 0;
  async function run() {
    const q = input.value.trim();
    const mine = ++seq;
    if (q.length < 2) { clear(results); return; }
    try {
      const p = await api<Page<PublicUser>>('/api/users/', { query: { search: q, page_size: 8 } });
      if (mine !== seq) return;
      const self = me();
      const others = p.results.filter((u) => u.id !== self?.id);
      clear(results, others.length ? others.map((u) => h('li', { class: 'user-item' }, avatar(u, 28), h('span', { class: 'grow' }, u.username, fullName(u) ? h('span', { class: 'muted small' }, ` ${fullName(u)}`) : null), opts.action(u))) : h('li', { class: 'muted' }, 'Nobody found.'));
    } catch (e) {
      clear(results, h('li', { class: 'error' }, errorText(e)));
    }
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = window.setTimeout(run, 250); });
  const el = h('div', { class: 'user-search' }, h('div', { class: 'field' }, h('label', { for: opts.id }, opts.label), input), results);
  return { el, input };
}

export function peoplePage(root: HTMLElement) {
  const q = queryParam('search') ?? '';
  const order = queryParam('ordering') ?? 'username';
  const search = h('input', { type: 'search', name: 'search', id: 'people-search', value: q, placeholder: 'Username or name' });
  const ordering = h('select', { name: 'ordering', id: 'people-ordering' },
    ...[['username', 'Username A–Z'], ['-username', 'Username Z–A'], ['-date_joined', 'Newest members'], ['date_joined', 'Oldest members']]
      .map(([v, t]) => h('option', { value: v, selected: v === order }, t)));
  const form = h('form', {
    class: 'card filters', role: 'search', 'aria-label': 'Find people',
    onsubmit: (e: Event) => {
      e.preventDefault();
      const p = new URLSearchParams();
      if (search.value.trim()) p.set('search', search.value.trim());
      if (ordering.value !== 'username') p.set('ordering', ordering.value);
      const s = p.toString();
      navigate(`/people${s ? '?' + s : ''}`);
    },
  }, h('div', { class: 'filter-row' },
    h('div', { class: 'field grow' }, h('label', { for: search.id }, 'Search people'), search),
    h('div', { class: 'field' }, h('label', { for: ordering.id }, 'Order by'), ordering),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
  ordering.addEventListener('change', () => form.requestSubmit());

  const list = pagedList<PublicUser>({
    fetch: apiPages('/api/users/', { search: q, ordering: order }, 20),
    render: (u) => h('li', { class: 'user-item' }, avatar(u), h('span', { class: 'grow' }, link(`/users/${u.id}`, u.username, { class: 'user-name' }),
      u.is_private ? h('span', { class: 'badge' }, 'private') : fullName(u) ? h('span', { class: 'muted small' }, ` ${fullName(u)}`) : null)),
    label: 'People', id: 'people-list', class: 'user-list',
    empty: q ? `Nobody matches “${q}”.` : 'Nobody here yet.',
  });
  root.append(h('h1', null, 'People'), form, h('section', { class: 'card' }, list.el));
}

const SHOWN: [string, string][] = [
  ['bio', 'About'], ['email', 'Email'], ['country', 'Country'], ['timezone', 'Time zone'], ['birth_date', 'Birth date'], ['phone', 'Phone'],
];

export async function profilePage(root: HTMLElement, [id]: string[]) {
  let u: PublicUser;
  try {
    u = await api<PublicUser>(`/api/users/${id}/`);
  } catch (e) {
    const gone = e instanceof ApiError && e.status === 404;
    root.append(h('section', { class: 'card narrow' }, h('h1', null, gone ? 'No such person' : 'Profile unavailable'),
      h('p', { class: gone ? 'muted' : 'error' }, gone ? 'This account does not exist or is no longer active.' : errorText(e)), link('/people', 'Find people')));
    return;
  }
  const head = h('div', { class: 'profile-head' }, avatar(u, 72),
    h('div', null, h('h1', { id: 'profile-name' }, u.username), badgeList(u.badges as Badge[] | undefined, 'badges profile-badges'), fullName(u) ? h('p', { class: 'muted' }, fullName(u)) : null,
      u.date_joined ? h('p', { class: 'muted small' }, `Member since ${fmtDate(u.date_joined as string)}`) : null,
      reportButton('user', u.id, u.username, u.id)));
  const social = profileSocial(u);
  // store (#18): the owner's equipped profile theme recolours their profile.
  cosmeticsOf(u.id).then((c) => applyTheme(root, c?.profile_theme ?? null));
  if (u.is_private) {
    root.append(h('section', { class: 'card profile' }, head, social.el,
      h('p', { class: 'notice', id: 'profile-private' }, `${u.username} keeps their profile private: only the name and picture are shown.`)));
    return social.cleanup;
  }
  const facts = SHOWN.filter(([k]) => u[k] !== undefined && u[k] !== null && u[k] !== '');
  const videos = pagedList<any>({
    fetch: apiPages('/api/videos/', { uploader: u.id, status: 'ready' }, 12),
    render: videoCard, label: `Videos by ${u.username}`, id: 'profile-videos', class: 'video-list', empty: 'No public video.',
  });
  root.append(
    h('section', { class: 'card profile' }, head, social.el,
      facts.length ? h('dl', { class: 'facts' }, ...facts.flatMap(([k, label]) => [h('dt', null, label), h('dd', null, String(u[k]))])) : h('p', { class: 'muted' }, 'Nothing more shared.')),
    h('section', { class: 'card' }, h('h2', null, 'Videos'), videos.el));
  return social.cleanup;
}
