// My conversations, latest activity first, with the last message and my unread count
// (docs/api.md, "Messaging"). Live: each conversation's messages go through a SeqTail
// (seq order, gaps filled from REST), which moves it up, changes its preview and counts
// what others sent while I was not looking; the server's count is read again whenever
// mine may have moved (a read in any tab, a change of members, a reconnect).
import { me } from '../../api';
import { h, clear, errorText, fmtDateTime } from '../../ui';
import { navigate } from '../../nav';
import { on } from '../../user-socket';
import { presenceDot } from '../friends';
import { SeqTail, gapFiller } from '../../messaging/order';
import { holdForSync } from '../../messaging/live';
import {
  listConversations, getConversation, listMessages, onMyRead, conversationName, preview,
  type Conversation, type Message,
} from '../../messaging/api';

interface Item {
  conv: Conversation;
  tail: SeqTail<Message>;
  fill: () => void;
  release: () => void;
}

export interface ConversationList {
  el: HTMLElement;
  setActive(id: string | null): void;
  /** The conversation as the list knows it (null when it is not listed). */
  get(id: string): Conversation | null;
  cleanup(): void;
}

/** `looking(id)`: whether I am reading that conversation now (its messages are read at once). */
export function conversationList(looking: (id: string) => boolean): ConversationList {
  const ul = h('ul', { class: 'conv-list', id: 'conversations', 'aria-label': 'Conversations' });
  const status = h('p', { class: 'muted small', role: 'status' });
  const more = h('button', { type: 'button', class: 'small', hidden: true }, 'More conversations');
  const el = h('div', { class: 'conv-list-wrap' }, ul, status, more);
  const items = new Map<string, Item>();
  let active: string | null = null;
  let cursor: string | null = null;

  function itemFor(conv: Conversation): Item {
    let it = items.get(conv.id);
    if (it) return it;
    const tail: SeqTail<Message> = new SeqTail<Message>(conv.last_seq, {
      apply: (m) => applied(conv.id, m),
      update: (m) => updated(conv.id, m),
      fill: () => fill(),
    });
    const fill = gapFiller((after) => listMessages(conv.id, { after_seq: after }, 100), () => items.get(conv.id)?.tail ?? null,
      () => refetch(conv.id));
    it = { conv, tail, fill, release: holdForSync(conv.id, () => tail.have) };
    items.set(conv.id, it);
    return it;
  }

  /** A conversation as REST gave it: taken when it is at least as recent as what the events made of it. */
  function adopt(conv: Conversation) {
    const it = items.get(conv.id);
    if (!it) { itemFor(conv); return; }
    if (conv.last_seq < it.tail.have) { window.setTimeout(() => refetch(conv.id), 300); return; }
    it.conv = conv;
    it.tail.reset(conv.last_seq);
  }

  function applied(id: string, m: Message) {
    const it = items.get(id)!;
    const c = it.conv;
    c.last_seq = Math.max(c.last_seq, m.seq);
    c.last_message = m;
    c.last_activity_at = m.created_at;
    if (m.sender?.id !== me()?.id && !looking(id)) c.unread_count++;
    draw();
  }

  function updated(id: string, m: Message) {
    const c = items.get(id)!.conv;
    if (c.last_message?.id !== m.id) return;
    c.last_message = m;
    draw();
  }

  async function refetch(id: string) {
    try {
      adopt(await getConversation(id));
    } catch (e: any) {
      if (e?.status === 404) drop(id);
      else return;
    }
    draw();
  }

  function drop(id: string) {
    items.get(id)?.release();
    items.delete(id);
  }

  function row(c: Conversation) {
    const self = me()?.id;
    const other = c.kind === 'direct' ? c.members.find((m) => m.id !== self) : undefined;
    const unread = c.unread_count > 0
      ? h('span', { class: 'count conv-unread' }, String(c.unread_count), h('span', { class: 'sr-only' }, c.unread_count === 1 ? ' unread message' : ' unread messages'))
      : null;
    const a = h('a', {
      href: `/messages/${c.id}`, class: 'conv-link', 'aria-current': c.id === active ? 'page' : undefined,
      onclick: (e: MouseEvent) => { if (e.button === 0 && !e.ctrlKey && !e.metaKey) { e.preventDefault(); navigate(`/messages/${c.id}`); } },
    },
    h('span', { class: 'conv-top' }, other ? presenceDot(!!other.online) : null,
      h('span', { class: 'conv-name' }, conversationName(c, self)), unread),
    h('span', { class: 'conv-preview muted small' }, preview(c.last_message)),
    h('span', { class: 'conv-time muted small' }, fmtDateTime(c.last_activity_at)));
    return h('li', { class: `conv-item${c.unread_count ? ' unread' : ''}`, dataset: { conversationId: c.id } }, a);
  }

  function draw() {
    const sorted = [...items.values()].map((i) => i.conv).sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    // A redraw must not take the keyboard focus away from the row it was on.
    const focused = (document.activeElement?.closest('.conv-item') as HTMLElement | null)?.dataset.conversationId;
    clear(ul, sorted.map(row));
    if (focused) ul.querySelector<HTMLElement>(`li[data-conversation-id="${CSS.escape(focused)}"] a`)?.focus();
    status.textContent = sorted.length ? '' : 'No conversations yet: open a profile and choose Message.';
  }

  async function load(first: boolean) {
    more.hidden = true;
    try {
      const page = await listConversations(first ? null : cursor);
      page.results.forEach(adopt);
      if (first || cursor) cursor = page.next_cursor;
      more.hidden = !cursor;
      draw();
    } catch (e) {
      status.textContent = errorText(e);
    }
  }
  more.addEventListener('click', () => load(false));

  // One handler per event: to the conversation's tail, or a fetch when it is not listed yet.
  const toTail = (d: any) => {
    const id = d?.conversation_id;
    if (!id || !d.message) return;
    const it = items.get(id);
    if (it) it.tail.push(d.message);
    else refetch(id);
  };
  const offs = [
    on('message_new', toTail),
    on('message_edited', toTail),
    on('message_deleted', toTail),
    on('read', (d) => { if (d?.user_id === me()?.id && items.has(d.conversation_id)) refetch(d.conversation_id); }),
    on('conversation_updated', (d) => refetch(d.conversation_id)),
    on('refetch', (d) => refetch(d.conversation_id)),
    on('presence', (d) => {
      let hit = false;
      for (const it of items.values()) for (const m of it.conv.members) if (m.id === d?.user_id) { m.online = d.online; hit = true; }
      if (hit) draw();
    }),
    on('connected', () => load(true)),
    onMyRead((id, r) => {
      const it = items.get(id);
      if (!it) return;
      it.conv.unread_count = r.unread_count;
      draw();
    }),
  ];
  load(true);

  return {
    el,
    setActive(id) { active = id; draw(); },
    get: (id) => items.get(id)?.conv ?? null,
    cleanup() {
      offs.forEach((off) => off());
      for (const it of items.values()) it.release();
      items.clear();
    },
  };
}
