// A video's threaded comments: newest top-level comments first with "Load more", each
// comment's replies on demand (oldest first), and post, reply, edit, delete and like.
// A deleted comment with replies stays as a placeholder (docs/api.md, Videos).
import { api, me, Page } from '../api';
import { h, clear, errorText, toast } from '../ui';
import { link } from '../nav';
import { inputField, errorBox, showErrors, clearErrors } from '../forms';

export interface Comment {
  id: string;
  video_id: string;
  parent_id: string | null;
  user: { id: string; username: string } | null;
  content: string | null;
  is_deleted: boolean;
  is_edited: boolean;
  likes_count: number;
  reply_count: number;
  created_at: string;
  liked?: boolean; // by me (from my-reactions/ or my last toggle)
}

const PAGE = 10;

function fmtWhen(iso: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A labelled text box with a submit button; on failure the text stays and the error shows. */
function textForm(opts: { label: string; name: string; value?: string; submit: string; onSubmit: (text: string) => Promise<void>; onCancel?: () => void }): HTMLFormElement {
  const area = h('textarea', { name: opts.name, maxLength: 5000, rows: 3, required: true }, opts.value ?? '');
  const f = inputField(opts.label, area as unknown as HTMLInputElement);
  const fields = { content: f };
  const box = errorBox();
  const btn = h('button', { type: 'submit', class: 'primary small' }, opts.submit);
  const form = h('form', {
    class: 'comment-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const text = area.value.trim();
      if (!text) { area.focus(); return; }
      clearErrors(fields, box);
      btn.disabled = true;
      try {
        await opts.onSubmit(text);
        area.value = '';
      } catch (ex) {
        showErrors(ex, fields, box);
      } finally {
        btn.disabled = false;
      }
    },
  }, f.el, box, h('div', { class: 'inline' }, btn, opts.onCancel ? h('button', { type: 'button', class: 'small', onclick: opts.onCancel }, 'Cancel') : null));
  return form;
}

/** `liked`: the ids of the comments I like (GET my-reactions/), to show their like buttons pressed. */
export function commentsSection(videoId: string, opts: { uploaderId: string; count: number; liked: Promise<string[]> }): HTMLElement {
  const self = me();
  const base = `/api/videos/${videoId}/comments/`;
  let total = opts.count;
  const countEl = h('span', { class: 'muted', id: 'comment-count' });
  const list = h('ol', { class: 'comments', id: 'comments' });
  const more = h('button', { class: 'small', id: 'more-comments', hidden: true }, 'Load more comments');
  const status = h('p', { class: 'muted', role: 'status' });
  let page = 0;
  const setCount = (n: number) => { total = Math.max(0, n); countEl.textContent = `(${total})`; };
  setCount(total);

  const mayDelete = (c: Comment) => !!self && (c.user?.id === self.id || self.id === opts.uploaderId || !!self.is_staff || !!self.is_superuser);

  let likedIds = new Set<string>();
  function item(c: Comment): HTMLLIElement {
    c.liked ??= likedIds.has(c.id);
    const li = h('li', { class: 'comment', dataset: { id: c.id } });
    const replies = h('ol', { class: 'comments replies' });
    const slot = h('div', { class: 'comment-slot' });
    let repliesPage = 0;
    let loadedReplies = 0;
    const toggleReplies = h('button', { class: 'link small show-replies', hidden: true });

    function render() {
      const likeBtn = h('button', { class: 'small like-comment', 'aria-pressed': String(!!c.liked), disabled: !self || c.is_deleted, onclick: like },
        h('span', { 'aria-hidden': 'true' }, '♥'), h('span', { class: 'sr-only' }, ' Like'), ` ${c.likes_count}`);
      clear(li,
        h('div', { class: 'comment-head small' },
          c.user ? link(`/users/${c.user.id}`, c.user.username, { class: 'author' }) : h('span', { class: 'muted' }, 'deleted'),
          h('span', { class: 'muted' }, ` · ${fmtWhen(c.created_at)}`, c.is_edited && !c.is_deleted ? ' · edited' : '')),
        h('p', { class: `comment-body${c.is_deleted ? ' muted' : ''}` }, c.is_deleted ? 'This comment was deleted.' : c.content),
        h('div', { class: 'inline comment-actions' },
          likeBtn,
          self && !c.is_deleted ? h('button', { class: 'small reply-comment', onclick: () => openForm('reply') }, 'Reply') : null,
          self && c.user?.id === self.id && !c.is_deleted ? h('button', { class: 'small edit-comment', onclick: () => openForm('edit') }, 'Edit') : null,
          !c.is_deleted && mayDelete(c) ? h('button', { class: 'small danger delete-comment', onclick: remove }, 'Delete') : null,
          toggleReplies),
        slot, replies);
      const hiddenReplies = c.reply_count - loadedReplies;
      toggleReplies.hidden = hiddenReplies <= 0;
      toggleReplies.textContent = loadedReplies ? `More replies (${hiddenReplies})` : `Show ${hiddenReplies} ${hiddenReplies === 1 ? 'reply' : 'replies'}`;
    }

    function openForm(kind: 'reply' | 'edit') {
      const close = () => { clear(slot); (li.querySelector(`.${kind}-comment`) as HTMLElement)?.focus(); };
      const form = kind === 'reply'
        ? textForm({ label: `Reply to ${c.user?.username ?? 'comment'}`, name: 'reply', submit: 'Reply', onCancel: close, onSubmit: async (text) => {
            const r = await api<Comment>(base, { method: 'POST', body: { content: text, parent_id: c.id } });
            c.reply_count++;
            loadedReplies++;
            replies.append(item(r));
            setCount(total + 1);
            clear(slot);
            render();
          } })
        : textForm({ label: 'Edit your comment', name: 'edit', value: c.content ?? '', submit: 'Save', onCancel: close, onSubmit: async (text) => {
            c = { ...(await api<Comment>(`${base}${c.id}/`, { method: 'PATCH', body: { content: text } })), liked: c.liked };
            clear(slot);
            render();
          } });
      clear(slot, form);
      (form.querySelector('textarea') as HTMLElement).focus();
    }

    async function like() {
      try {
        const r = await api<any>(`${base}${c.id}/like/`, { method: 'POST' });
        c.likes_count = r.likes_count;
        c.liked = r.liked;
        render();
        (li.querySelector('.like-comment') as HTMLElement).focus();
      } catch (e) {
        toast(errorText(e), 'error');
      }
    }

    async function remove() {
      if (!confirm('Delete this comment?')) return;
      try {
        await api(`${base}${c.id}/`, { method: 'DELETE' });
      } catch (e) {
        toast(errorText(e), 'error');
        return;
      }
      setCount(total - 1);
      if (c.reply_count > 0) {
        c = { ...c, is_deleted: true, user: null, content: null };
        render();
      } else {
        const parentLi = li.parentElement?.closest('li.comment') as HTMLElement | null;
        li.remove();
        parentLi?.dispatchEvent(new CustomEvent('wp:reply-removed'));
      }
      toast('Comment deleted');
    }

    // A reply was removed: a placeholder parent left without replies is gone on the server too.
    li.addEventListener('wp:reply-removed', (e) => {
      if (e.target !== li) return;
      c.reply_count = Math.max(0, c.reply_count - 1);
      loadedReplies = Math.max(0, loadedReplies - 1);
      if (c.is_deleted && c.reply_count === 0) li.remove();
      else render();
    });

    toggleReplies.addEventListener('click', async () => {
      toggleReplies.disabled = true;
      try {
        const p = await api<Page<Comment>>(`${base}${c.id}/replies/`, { query: { page: repliesPage + 1, page_size: PAGE } });
        repliesPage++;
        loadedReplies += p.results.length;
        replies.append(...p.results.map(item));
        if (!p.next) loadedReplies = c.reply_count = Math.max(loadedReplies, replies.childElementCount);
        render();
        (replies.lastElementChild?.querySelector('button, a') as HTMLElement | null)?.focus();
      } catch (e) {
        toast(errorText(e), 'error');
      } finally {
        toggleReplies.disabled = false;
      }
    });

    render();
    return li;
  }

  async function loadMore() {
    more.disabled = true;
    status.textContent = page ? '' : 'Loading comments…';
    try {
      const p = await api<Page<Comment>>(base, { query: { page: page + 1, page_size: PAGE } });
      page++;
      setCount(p.count);
      list.append(...p.results.filter((c) => !list.querySelector(`:scope > li[data-id="${c.id}"]`)).map(item));
      more.hidden = !p.next;
      status.textContent = list.childElementCount ? '' : 'No comments yet.';
    } catch (e) {
      status.textContent = errorText(e);
      status.className = 'error';
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', loadMore);

  const composer = self
    ? textForm({ label: 'Add a comment', name: 'comment', submit: 'Post comment', onSubmit: async (text) => {
        const c = await api<Comment>(base, { method: 'POST', body: { content: text } });
        list.prepend(item(c));
        setCount(total + 1);
        status.textContent = '';
      } })
    : h('p', { class: 'muted' }, link('/login', 'Log in'), ' to comment.');
  composer.id = 'comment-form';
  opts.liked.then((ids) => { likedIds = new Set(ids); }, () => {}).finally(loadMore);
  return h('section', { class: 'card', 'aria-labelledby': 'comments-title' },
    h('h2', { id: 'comments-title' }, 'Comments ', countEl), composer, status, list, more);
}
