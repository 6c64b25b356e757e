// One message of a thread: author, time, text (or the tombstone of a deleted one),
// attachments, reactions, and for my own messages Edit and Delete (asked again in
// place), and Report on the others' (moderation). The element stays when the message changes: update() redraws its content.
import { me } from '../../api';
import { h, clear, fmtBytes, fmtDateTime } from '../../ui';
import { toastError } from '../../toast';
import { actionButton } from '../friends';
import { errorBox } from '../../forms';
import { reportButton } from '../../report-dialog';  // moderation (#19)
import {
  EMOJIS, toggleReaction, editMessage, deleteMessage, attachmentBlobUrl, systemText,
  type Message, type Reaction, type Attachment,
} from '../../messaging/api';

export interface MessageView {
  el: HTMLLIElement;
  msg: Message;
  update(m: Message): void;
  /** After a `reaction` event or my toggle: `mine` is my own change, when it was mine. */
  setReactions(reactions: Reaction[], mine?: { emoji: string; reacted: boolean }): void;
  setReceipts(names: string[]): void;
}

const fmtTime = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function attachmentEl(a: Attachment) {
  const download = actionButton(a.filename, `Download ${a.filename}`, async () => {
    const url = await attachmentBlobUrl(a.url);
    const link = h('a', { href: url, download: a.filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }, 'small attachment-download');
  const box = h('div', { class: 'msg-attachment' });
  if (a.kind === 'image' && a.has_thumbnail && a.thumbnail_url) {
    const img = h('img', { class: 'msg-thumb', alt: a.filename, width: 160, height: 120 });
    attachmentBlobUrl(a.thumbnail_url).then((u) => { img.src = u; }).catch(() => img.remove());
    box.append(img);
  }
  box.append(h('span', { class: 'inline' }, download, h('span', { class: 'muted small' }, fmtBytes(a.size))));
  return box;
}

export function messageItem(m: Message, conversationId: string): MessageView {
  const el = h('li', { class: 'chat-msg', id: `msg-${m.id}` });
  const receipts = h('small', { class: 'receipts muted', hidden: true });
  const reactionsBox = h('div', { class: 'msg-reactions' });
  let receiptNames: string[] = [];
  const view: MessageView = { el, msg: m, update, setReactions, setReceipts };

  function reactionButtons() {
    const msg = view.msg;
    const pick = h('details', { class: 'react-pick' }, h('summary', null, h('span', { 'aria-hidden': 'true' }, '☺︎ '), 'React'),
      h('div', { class: 'inline' }, EMOJIS.map((e) => emojiButton(e, e, `React ${e}`))));
    const shown = msg.reactions.filter((r) => r.count > 0).map((r) =>
      emojiButton(`${r.emoji} ${r.count}`, r.emoji, `${r.emoji} ${r.count}${r.me ? ', yours' : ''}`, !!r.me));
    clear(reactionsBox, shown, pick);
  }

  function emojiButton(text: string, emoji: string, label: string, pressed?: boolean) {
    const b = h('button', { type: 'button', class: 'small emoji', 'aria-label': label, 'aria-pressed': pressed === undefined ? undefined : String(pressed) }, text);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const r = await toggleReaction(conversationId, view.msg.id, emoji);
        setReactions(r.reactions, { emoji, reacted: r.reacted });
      } catch (e) {
        toastError(e, 'Reaction');
        b.disabled = false;
      }
    });
    return b;
  }

  function setReactions(reactions: Reaction[], mine?: { emoji: string; reacted: boolean }) {
    const before = new Map(view.msg.reactions.map((r) => [r.emoji, !!r.me]));
    view.msg = {
      ...view.msg,
      reactions: reactions.map((r) => ({ ...r, me: mine?.emoji === r.emoji ? mine.reacted : r.me ?? before.get(r.emoji) ?? false })),
    };
    reactionButtons();
  }

  function setReceipts(names: string[]) {
    receiptNames = names;
    receipts.hidden = names.length === 0;
    receipts.textContent = names.length ? `Seen by ${names.join(', ')}` : '';
  }

  function editForm() {
    const input = h('textarea', { name: 'body', rows: 2, maxLength: 4000, 'aria-label': 'Edit the message' }, view.msg.body ?? '');
    const box = errorBox();
    const save = h('button', { type: 'submit', class: 'small primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'small', onclick: () => draw() }, 'Cancel');
    const form = h('form', { class: 'msg-edit' }, input, box, h('div', { class: 'inline' }, save, cancel));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        update(await editMessage(conversationId, view.msg.id, input.value));
      } catch (ex) {
        box.textContent = (ex as any)?.describe?.() ?? String(ex);
        box.hidden = false;
        save.disabled = false;
      }
    });
    return { form, input };
  }

  function ownActions() {
    const actions = h('div', { class: 'inline msg-actions' });
    const edit = h('button', { type: 'button', class: 'small edit', 'aria-label': 'Edit your message' }, 'Edit');
    const del = h('button', { type: 'button', class: 'small danger delete', 'aria-label': 'Delete your message' }, 'Delete');
    edit.addEventListener('click', () => {
      const f = editForm();
      el.querySelector('.msg-body')?.replaceWith(f.form);
      actions.hidden = true;
      f.input.focus();
    });
    del.addEventListener('click', () => {
      const yes = actionButton('Yes, delete', 'Yes, delete the message', async () => update(await deleteMessage(conversationId, view.msg.id)), 'small danger confirm-delete');
      const no = h('button', { type: 'button', class: 'small', onclick: () => { clear(actions, edit, del); del.focus(); } }, 'Keep');
      clear(actions, h('span', { class: 'small' }, 'Delete this message?'), yes, no);
      yes.focus();
    });
    actions.append(edit, del);
    return actions;
  }

  function draw() {
    const msg = view.msg;
    const mine = msg.sender?.id === me()?.id;
    el.className = `chat-msg${mine ? ' mine' : ''}${msg.message_type === 'system' ? ' system' : ''}${msg.is_deleted ? ' deleted' : ''}`;
    el.dataset.seq = String(msg.seq);
    el.dataset.id = msg.id;
    if (msg.message_type === 'system') {
      clear(el, h('p', { class: 'msg-system' }, systemText(msg), ' · ', h('time', { datetime: msg.created_at }, fmtTime(msg.created_at))));
      return;
    }
    const head = h('div', { class: 'msg-head' },
      h('span', { class: 'author' }, msg.sender?.username ?? 'Someone'),
      h('time', { datetime: msg.created_at, title: fmtDateTime(msg.created_at) }, fmtTime(msg.created_at)),
      msg.is_edited && !msg.is_deleted ? h('span', { class: 'muted small edited' }, '(edited)') : null);
    if (msg.is_deleted) {
      clear(el, head, h('p', { class: 'msg-body muted' }, 'This message was deleted.'));
      return;
    }
    reactionButtons();
    clear(el, head,
      msg.body ? h('p', { class: 'msg-body' }, msg.body) : h('span', { class: 'msg-body' }),
      msg.attachments.length ? h('div', { class: 'msg-attachments' }, msg.attachments.map(attachmentEl)) : null,
      reactionsBox, mine ? ownActions() : reportButton('direct_message', msg.id, `the message from ${msg.sender?.username ?? 'someone'}`, msg.sender?.id), receipts);
    setReceipts(receiptNames);
  }

  function update(next: Message) {
    // An event's copy of the message does not know which reactions are mine: keep what I know.
    const before = new Map(view.msg.reactions.map((r) => [r.emoji, !!r.me]));
    view.msg = { ...next, reactions: (next.reactions ?? []).map((r) => ({ ...r, me: r.me ?? before.get(r.emoji) ?? false })) };
    draw();
  }

  update(m);
  return view;
}
