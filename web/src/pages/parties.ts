import { api, Page } from '../api';
import { h, clear, field, errorText, toast } from '../ui';
import { navigate, link } from '../nav';
import { isPending, JoinRequest } from './approval';
import { startsIn } from './room-tools';
import { recommendedSection } from '../search/recommended';  // search and recommendations (#22)

export interface Party {
  id: string;
  room_code: string;
  title: string;
  description?: string;
  host: { id: string; username: string };
  video: { id: string } | null;
  media_url: string | null;
  status: string;
  visibility: string;
  max_participants: number;
  settings: Record<string, any>;
  participant_count: number;
  scheduled_start?: string | null;
}

function partyItem(p: Party) {
  return h('li', { class: 'party-item' },
    link(`/parties/${p.id}`, p.title, { class: 'party-title' }),
    h('span', { class: 'muted' }, ` hosted by ${p.host?.username ?? '?'} · ${p.participant_count} watching · `),
    h('span', { class: `badge ${p.status}` }, p.status),
    p.status === 'scheduled' && p.scheduled_start ? h('span', { class: 'muted small starts-in' }, ` starts in ${startsIn(p.scheduled_start)}`) : null,
    p.visibility !== 'public' ? h('span', { class: 'badge' }, p.visibility) : null,
  );
}

function listSection(title: string, id: string) {
  const ul = h('ul', { class: 'party-list', id });
  const sec = h('section', { class: 'card' }, h('h2', null, title), ul);
  return { sec, ul };
}

async function fill(ul: HTMLElement, path: string, query: Record<string, any>, empty: string) {
  clear(ul, h('li', { class: 'muted' }, 'Loading…'));
  try {
    const page = await api<Page<Party>>(path, { query });
    const items = page.results.filter((p) => p.status !== 'ended');
    clear(ul, items.length ? items.map(partyItem) : h('li', { class: 'muted' }, empty));
  } catch (e) {
    clear(ul, h('li', { class: 'error' }, errorText(e)));
  }
}

export function partiesPage(root: HTMLElement) {
  const code = h('input', { name: 'code', placeholder: 'ROOM CODE', autocapitalize: 'characters', maxLength: 16, required: true, 'aria-label': 'Room code', style: { textTransform: 'uppercase' } });
  const joinForm = h('form', {
    class: 'card', id: 'join-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      await joinByCode(code.value.trim().toUpperCase());
    },
  }, h('h2', null, 'Join by room code'), h('div', { class: 'inline' }, code, h('button', { type: 'submit', class: 'primary' }, 'Join')));

  const mine = listSection('My parties', 'my-parties');
  const pub = listSection('Public parties', 'public-parties');
  root.append(h('div', { class: 'grid2' }, h('div', null, joinForm, createForm(), recommendedSection()), h('div', null, mine.sec, pub.sec)));
  fill(mine.ul, '/api/parties/', { mine: 'true', page_size: 50 }, 'You are in no party yet.');
  fill(pub.ul, '/api/parties/public/', { page_size: 50 }, 'No public party right now.');
}

const askByCode = (code: string) => api<Party | JoinRequest>('/api/parties/join-by-code/', { method: 'POST', body: { code } });

async function joinByCode(code: string) {
  try {
    const r = await askByCode(code);
    // Pending: the party's page waits for the approval (asking again there files nothing new).
    navigate(`/parties/${isPending(r) ? r.party.id : r.id}`);
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

export async function joinByCodePage(root: HTMLElement, [raw]: string[]) {
  const code = raw.toUpperCase();
  root.append(h('p', { class: 'muted center' }, `Joining ${code}…`));
  try {
    const r = await askByCode(code);
    navigate(`/parties/${isPending(r) ? r.party.id : r.id}`, true);
  } catch (e) {
    clear(root, h('section', { class: 'card narrow' }, h('h1', null, 'Cannot join'), h('p', { class: 'error' }, errorText(e)), link('/', 'Back')));
  }
}

/** The create form; with `groupId` the party is the group's (docs/api.md, `group_id`). */
export function createForm(groupId?: string) {
  const title = h('input', { name: 'title', required: true, maxLength: 200, placeholder: 'Movie night' });
  const source = h('select', { name: 'source' },
    h('option', { value: 'video' }, 'One of my videos'),
    h('option', { value: 'url' }, 'A video URL (MP4 or HLS)'));
  const videoSel = h('select', { name: 'video_id' }, h('option', { value: '' }, 'Loading videos…'));
  const url = h('input', { name: 'media_url', type: 'url', placeholder: 'https://…/movie.mp4' });
  const visibility = h('select', { name: 'visibility' },
    h('option', { value: 'public' }, 'Public (listed)'),
    h('option', { value: 'unlisted' }, 'Unlisted (link or code)'),
    h('option', { value: 'private' }, 'Private (invited only)'));
  const control = h('select', { name: 'control' },
    h('option', { value: 'host_only' }, 'Host only'),
    h('option', { value: 'moderators' }, 'Host and moderators'),
    h('option', { value: 'everyone' }, 'Everyone'));
  const slow = h('input', { name: 'slow_mode_seconds', type: 'number', min: '0', max: '3600', value: '0' });
  const approval = h('input', { name: 'require_approval', type: 'checkbox', id: 'require-approval' });
  const startsAt = h('input', { name: 'scheduled_start', type: 'datetime-local', id: 'scheduled-start' });
  const videoField = field('Video', videoSel);
  const urlField = field('Video URL', url);
  const sync = () => {
    const v = source.value === 'video';
    videoField.hidden = !v;
    urlField.hidden = v;
    url.required = !v;
  };
  source.addEventListener('change', sync);
  api<Page<any>>('/api/videos/', { query: { page_size: 100, status: 'ready' } })
    .then((page) => {
      const items = page.results.filter((v) => v.status === 'ready');
      clear(videoSel, items.length ? items.map((v) => h('option', { value: v.id }, v.title)) : h('option', { value: '' }, 'No ready video yet'));
      if (!items.length) { source.value = 'url'; sync(); }
    })
    .catch(() => {
      clear(videoSel, h('option', { value: '' }, 'Videos unavailable'));
      source.value = 'url';
      sync();
    });
  sync();
  const err = h('p', { class: 'error', role: 'alert', hidden: true });
  return h('form', {
    class: 'card', id: 'create-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      err.hidden = true;
      const body: any = {
        title: title.value.trim(),
        visibility: visibility.value,
        settings: { control: control.value, slow_mode_seconds: Number(slow.value) || 0, require_approval: approval.checked },
      };
      if (source.value === 'video') {
        if (!videoSel.value) { err.textContent = 'Pick a video, or use a URL.'; err.hidden = false; return; }
        body.video_id = videoSel.value;
      } else body.media_url = url.value.trim();
      if (startsAt.value) body.scheduled_start = new Date(startsAt.value).toISOString();
      if (groupId) body.group_id = groupId;
      try {
        const p = await api<Party>('/api/parties/', { method: 'POST', body });
        navigate(`/parties/${p.id}`);
      } catch (ex) {
        err.textContent = errorText(ex);
        err.hidden = false;
      }
    },
  },
    h('h2', null, groupId ? 'Start a party in this group' : 'Start a party'),
    field('Title', title),
    field('Play', source),
    videoField,
    urlField,
    h('div', { class: 'row2' }, field('Visibility', visibility), field('Who controls playback', control)),
    field('Slow mode (seconds between messages, 0 = off)', slow),
    field('Starts at (optional: schedule it for later)', startsAt),
    h('label', { class: 'check' }, approval, h('span', null, 'Require approval: guests wait until you or a moderator let them in')),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Create party'),
  );
}
