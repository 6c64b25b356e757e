// One video: the player, its numbers and reactions, processing progress (polled), the
// download, "start a party with it", the uploader's edit/delete, and the comment thread.
import { api, me, ApiError } from '../api';
import { toastError } from '../toast';
import { h, clear, errorText, fmtTime, fmtBytes, toast } from '../ui';
import { link, navigate } from '../nav';
import { attachSource, videoSource } from '../player';
import { commentsSection } from './comments';
import { editVideoForm } from './video-edit';
import type { Cleanup } from '../main';
import { reportButton } from '../report-dialog';  // moderation (#19)

export interface Video {
  id: string;
  title: string;
  description: string;
  category: string;
  tags?: string[];
  uploader: { id: string; username: string };
  status: 'processing' | 'ready' | 'failed';
  processing_error: string | null;
  is_public: boolean;
  allow_download: boolean;
  duration: number | null;
  width: number | null;
  height: number | null;
  file_size: number | null;
  thumbnail_url: string | null;
  download_url: string | null;
  view_count: number;
  like_count: number;
  dislike_count: number;
  comment_count: number;
  created_at: string;
  [k: string]: unknown;
}

export function statusBadge(v: { status: string }) {
  return h('span', { class: `badge ${v.status}` }, v.status);
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '' : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export async function videoPage(root: HTMLElement, [id]: string[]): Promise<Cleanup> {
  let v: Video;
  try {
    v = await api<Video>(`/api/videos/${id}/`);
  } catch (e) {
    const gone = e instanceof ApiError && e.status === 404;
    root.append(h('section', { class: 'card narrow' }, h('h1', null, gone ? 'Video not found' : 'Video unavailable'),
      h('p', { class: gone ? 'muted' : 'error' }, gone ? 'It was deleted, or it is private.' : errorText(e)), link('/videos/browse', 'Browse videos')));
    return;
  }
  const self = me();
  const mayChange = !!self && (self.id === v.uploader.id || !!self.is_staff || !!self.is_superuser);

  const video = h('video', { controls: true, playsinline: true, preload: 'metadata', class: 'player', id: 'video-player' });
  const stageNote = h('div', { class: 'overlay', role: 'status', id: 'processing-note', hidden: true });
  const progress = h('progress', { max: 100, value: 0, id: 'processing-progress', 'aria-label': 'Processing progress', hidden: true });
  const titleEl = h('h1', { id: 'video-title' }, v.title);
  const facts = h('p', { class: 'muted small', id: 'video-facts' });
  const views = h('span', { id: 'view-count' });
  const likeBtn = h('button', { class: 'small', id: 'like-video', 'aria-pressed': 'false' });
  const dislikeBtn = h('button', { class: 'small', id: 'dislike-video', 'aria-pressed': 'false' });
  const actions = h('div', { class: 'inline video-actions' });
  const desc = h('p', { class: 'video-desc', id: 'video-description' });
  const tagList = h('ul', { class: 'tag-list', id: 'video-tags', 'aria-label': 'Tags' });
  const editBox = h('div', { id: 'video-edit' });
  let detach: (() => void) | null = null;
  let timer: number | undefined;
  let disposed = false;

  function render() {
    titleEl.textContent = v.title;
    views.textContent = plural(v.view_count, 'view');
    clear(facts, statusBadge(v), !v.is_public ? h('span', { class: 'badge' }, 'private') : null,
      ' by ', link(`/users/${v.uploader.id}`, v.uploader.username), ` · ${fmtDate(v.created_at)}`,
      v.duration ? ` · ${fmtTime(v.duration)}` : '', v.width ? ` · ${v.width}×${v.height}` : '',
      v.file_size ? ` · ${fmtBytes(v.file_size)}` : '', v.category ? ` · ${v.category}` : '',
      ' ', reportButton('video', v.id, 'video', v.uploader.id));
    clear(likeBtn, h('span', { 'aria-hidden': 'true' }, '👍'), h('span', { class: 'sr-only' }, ' Like'), ` ${v.like_count}`);
    clear(dislikeBtn, h('span', { 'aria-hidden': 'true' }, '👎'), h('span', { class: 'sr-only' }, ' Dislike'), ` ${v.dislike_count}`);
    desc.textContent = v.description || '';
    desc.hidden = !v.description;
    clear(tagList, ...(v.tags ?? []).map((t) => h('li', null, link(`/videos/browse?tag=${encodeURIComponent(t)}`, `#${t}`))));
    tagList.hidden = !v.tags?.length;
    const canDownload = v.download_url && v.status !== 'processing' && (v.allow_download || mayChange);
    clear(actions, views, likeBtn, dislikeBtn,
      canDownload ? h('a', { class: 'button small', href: v.download_url, download: '', id: 'download-video' }, 'Download') : null,
      self && v.status === 'ready' ? h('button', { class: 'small primary', id: 'start-party', onclick: startParty }, 'Start a party with this video') : null,
      mayChange ? h('button', { class: 'small', id: 'edit-video', 'aria-expanded': String(!editBox.hidden && editBox.childElementCount > 0), onclick: toggleEdit }, 'Edit') : null,
      mayChange ? h('button', { class: 'small danger', id: 'delete-video', onclick: remove }, 'Delete') : null,
      mayChange ? link(`/videos/${v.id}/analytics`, 'Analytics', { class: 'button small', id: 'video-analytics' }) : null,  // analytics (#20)
      !self ? h('span', { class: 'muted small' }, link('/login', 'Log in'), ' to like, comment or start a party.') : null);
    likeBtn.disabled = dislikeBtn.disabled = !self;
  }

  async function react(isLike: boolean) {
    try {
      const r = await api<any>(`/api/videos/${id}/like/`, { method: 'POST', body: { is_like: isLike } });
      v.like_count = r.like_count;
      v.dislike_count = r.dislike_count;
      showMine(r.is_like);
      render();
    } catch (e) {
      toastError(e);
    }
  }
  function showMine(isLike: boolean | null) {
    likeBtn.setAttribute('aria-pressed', String(isLike === true));
    dislikeBtn.setAttribute('aria-pressed', String(isLike === false));
  }
  likeBtn.addEventListener('click', () => react(true));
  dislikeBtn.addEventListener('click', () => react(false));

  async function startParty(e: Event) {
    const btn = e.currentTarget as HTMLButtonElement;
    btn.disabled = true;
    try {
      const p = await api<any>('/api/parties/', { method: 'POST', body: { title: v.title.slice(0, 200), video_id: v.id, visibility: 'unlisted' } });
      navigate(`/parties/${p.id}`);
    } catch (ex) {
      toastError(ex);
      btn.disabled = false;
    }
  }

  function toggleEdit() {
    if (editBox.childElementCount) {
      clear(editBox);
      render();
      (root.querySelector('#edit-video') as HTMLElement)?.focus();
      return;
    }
    clear(editBox, editVideoForm(v, (nv) => { v = nv; clear(editBox); render(); toast('Saved'); }, () => { clear(editBox); render(); }));
    render();
    (editBox.querySelector('input') as HTMLElement)?.focus();
  }

  async function remove() {
    if (!confirm(`Delete “${v.title}” with its comments and statistics?`)) return;
    try {
      await api(`/api/videos/${id}/`, { method: 'DELETE' });
      toast('Video deleted');
      navigate('/videos', true);
    } catch (e) {
      toastError(e);
    }
  }

  // The first play counts a view (HLS playback never fetches stream/, which counts by itself).
  let counted = false;
  video.addEventListener('play', () => {
    if (counted) return;
    counted = true;
    api<any>(`/api/videos/${id}/view/`, { method: 'POST' }).then((r) => { v.view_count = r.view_count; render(); }).catch(() => {});
  });

  async function poll() {
    if (disposed) return;
    if (v.status === 'processing') {
      const s = await api<any>(`/api/videos/${id}/processing-status/`).catch(() => null);
      if (disposed) return;
      const pct = Math.round(s?.progress ?? 0);
      progress.hidden = stageNote.hidden = false;
      progress.value = pct;
      stageNote.textContent = `Processing… ${pct}%${s?.job?.status === 'queued' ? ' (queued)' : ''}`;
      if (s && s.status !== 'processing') {
        v = await api<Video>(`/api/videos/${id}/`).catch(() => v);
        render();
      } else {
        timer = window.setTimeout(poll, 2000);
        return;
      }
    }
    progress.hidden = true;
    if (v.status === 'failed') {
      stageNote.hidden = false;
      stageNote.textContent = `Processing failed${v.processing_error ? `: ${v.processing_error}` : ''}`;
      return;
    }
    stageNote.hidden = true;
    const src = videoSource(v);
    if (src && !detach) detach = (await attachSource(video, src).catch((e) => { toastError(e); return null; }))?.detach ?? null;
  }

  // What I liked: the video's buttons and the comments' show it pressed.
  const mine = self ? api<{ is_like: boolean | null; liked_comment_ids: string[] }>(`/api/videos/${id}/my-reactions/`).catch(() => null) : Promise.resolve(null);
  mine.then((r) => { if (r) showMine(r.is_like); });
  render();
  root.append(
    h('article', { class: 'video-page' },
      h('section', { class: 'card' },
        h('div', { class: 'stage' }, video, stageNote), progress,
        titleEl, facts, actions, editBox, desc, tagList),
      commentsSection(v.id, { uploaderId: v.uploader.id, count: v.comment_count, liked: mine.then((r) => r?.liked_comment_ids ?? []) })));
  poll();
  return () => { disposed = true; clearTimeout(timer); detach?.(); };
}
