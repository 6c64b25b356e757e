// A video's threaded comments: newest top-level comments first with "Load more", each
// comment's replies on demand (oldest first), and post, reply, edit, delete and like.
// A deleted comment with replies stays as a placeholder (docs/api.md, Videos).
import { api, me } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { link } from '../nav';
import { inputField, errorBox, onSubmit } from '../forms';
import { pagedList, apiPages, type Chunk, type PagedList } from '../list';
import { reportButton } from '../report-dialog';

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

/** A labelled text box with a submit button (forms.ts): on failure the text stays and the error shows. */
function textForm(opts: { label: string; name: string; value?: string; submit: string; send: (text: string) => Promise<void>; onCancel?: () => void }): HTMLFormElement {
  const area = h('textarea', { name: opts.name, maxLength: 5000, rows: 3, required: true }, opts.value ?? '');
  const content = inputField(opts.label, area);
  const box = errorBox();
  const submit = h('button', { type: 'submit', class: 'primary small' }, opts.submit);
  const form = h('form', { class: 'comment-form' }, content.el, box,
    h('div', { class: 'inline' }, submit, opts.onCancel ? h('button', { type: 'button', class: 'small', onclick: opts.onCancel }, 'Cancel') : null));
  onSubmit(form, {
    fields: { content }, box, submit,
    check: () => (area.value.trim() ? null : [content, 'Write something first.']),
    action: () => opts.send(area.value.trim()),
    done: () => { area.value = ''; },
  });
  return form;
}

/**
 * Pages of comments that skip the ones already shown (a comment posted here moves the
 * server's pages by one).
 */
function newOnly(fetch: (page: number) => Promise<Chunk<Comment>>, shown: () => HTMLElement | null) {
  return async (page: number) => {
    const chunk = await fetch(page);
    const el = shown();
    return { ...chunk, items: chunk.items.filter((c) => !el?.querySelector(`:scope > li[data-id="${c.id}"]`)) };
  };
}

/** `liked`: the ids of the comments I like (GET my-reactions/), to show their like buttons pressed. */
export function commentsSection(videoId: string, opts: { uploaderId: string; count: number; liked: Promise<string[]> }): HTMLElement {
  const self = me();
  const base = `/api/videos/${videoId}/comments/`;
  let total = opts.count;
  const countEl = h('span', { class: 'muted', id: 'comment-count' });
  const setCount = (n: number) => { total = Math.max(0, n); countEl.textContent = `(${total})`; };
  setCount(total);
  const mayDelete = (c: Comment) => !!self && (c.user?.id === self.id || self.id === opts.uploaderId || !!self.is_staff || !!self.is_superuser);
  let likedIds = new Set<string>();

  /** One comment; `owner` is the list it is in (to take it out), `parentGone` tells its parent a reply went. */
  function item(c: Comment, owner: () => PagedList, parentGone?: () => void): HTMLLIElement {
    c.liked ??= likedIds.has(c.id);
    const li = h('li', { class: 'comment', dataset: { id: c.id } });
    const slot = h('div', { class: 'comment-slot' });
    const repliesBox = h('div', { class: 'replies-box' });
    let replies: PagedList | null = null;
    const showReplies = h('button', { type: 'button', class: 'link small show-replies', onclick: () => openReplies() });

    function render() {
      const likeBtn = h('button', { class: 'small like-comment', 'aria-pressed': String(!!c.liked), disabled: !self || c.is_deleted, onclick: like },
        h('span', { 'aria-hidden': 'true' }, '♥'), h('span', { class: 'sr-only' }, ' Like'), ` ${c.likes_count}`);
      showReplies.hidden = !!replies || c.reply_count <= 0;
      showReplies.textContent = `Show ${c.reply_count} ${c.reply_count === 1 ? 'reply' : 'replies'}`;
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
          !c.is_deleted ? reportButton('video_comment', c.id, 'comment', c.user?.id) : null,
          showReplies),
        slot, repliesBox);
    }

    const childGone = () => {
      c.reply_count = Math.max(0, c.reply_count - 1);
      // A placeholder left without replies is gone on the server too.
      if (c.is_deleted && c.reply_count === 0) { owner().removeItem(li); parentGone?.(); }
    };
    function openReplies() {
      if (replies) return;
      const list: PagedList = pagedList<Comment>({
        fetch: newOnly(apiPages(`${base}${c.id}/replies/`, {}, PAGE), () => repliesBox.querySelector('ul')),
        render: (r) => item(r, () => list, childGone),
        label: `Replies to ${c.user?.username ?? 'a deleted comment'}`, class: 'comments replies', empty: 'No replies.', moreText: 'More replies',
      });
      replies = list;
      repliesBox.append(list.el);
      render();
    }

    function openForm(kind: 'reply' | 'edit') {
      const close = () => { clear(slot); (li.querySelector(`:scope > .comment-actions .${kind}-comment`) as HTMLElement)?.focus(); };
      const form = kind === 'reply'
        ? textForm({ label: `Reply to ${c.user?.username ?? 'comment'}`, name: 'reply', submit: 'Reply', onCancel: close, send: async (text) => {
            const r = await api<Comment>(base, { method: 'POST', body: { content: text, parent_id: c.id } });
            c.reply_count++;
            setCount(total + 1);
            clear(slot);
            if (replies) repliesBox.querySelector('ul')!.append(item(r, () => replies!, childGone));
            else openReplies();
            render();
          } })
        : textForm({ label: 'Edit your comment', name: 'edit', value: c.content ?? '', submit: 'Save', onCancel: close, send: async (text) => {
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
        toastError(e, 'Could not like the comment');
      }
    }

    async function remove() {
      if (!confirm('Delete this comment?')) return;
      try {
        await api(`${base}${c.id}/`, { method: 'DELETE' });
      } catch (e) {
        toastError(e, 'Could not delete the comment');
        return;
      }
      setCount(total - 1);
      if (c.reply_count > 0) {
        c = { ...c, is_deleted: true, user: null, content: null };
        render();
      } else {
        owner().removeItem(li);
        parentGone?.();
      }
      toast('Comment deleted');
    }

    render();
    return li;
  }

  const section = h('section', { class: 'card', id: 'comments-section', 'aria-labelledby': 'comments-title' }, h('h2', { id: 'comments-title' }, 'Comments ', countEl));
  const composer = self
    ? textForm({ label: 'Add a comment', name: 'comment', submit: 'Post comment', send: async (text) => {
        const c = await api<Comment>(base, { method: 'POST', body: { content: text } });
        section.querySelector('#comments')?.prepend(item(c, () => top));
        setCount(total + 1);
        const status = section.querySelector('#comments ~ .plist-status');
        if (status) status.textContent = '';
      } })
    : h('p', { class: 'muted' }, link('/login', 'Log in'), ' to comment.');
  composer.id = 'comment-form';
  section.append(composer);
  let top!: PagedList;
  // The list starts once my likes are known, so its buttons show them from the start.
  opts.liked.then((ids) => { likedIds = new Set(ids); }, () => {}).finally(() => {
    top = pagedList<Comment>({
      fetch: newOnly(apiPages(base, {}, PAGE), () => section.querySelector('#comments')),
      render: (c) => item(c, () => top),
      label: 'Comments', id: 'comments', class: 'comments', empty: 'No comments yet.', moreText: 'Load more comments',
    });
    section.append(top.el);
  });
  return section;
}
