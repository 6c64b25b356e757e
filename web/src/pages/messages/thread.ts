// One conversation's thread: the newest messages first, older ones loaded when scrolling
// up (or with the button), new ones in `seq` order through a SeqTail whose gaps are filled
// from REST. It marks what I see as read, puts a "New messages" line before the first
// one I had not read, shows who read how far (receipts) and who is typing.
import { me } from '../../api';
import { h, clear, errorText } from '../../ui';
import { on } from '../../user-socket';
import { SeqTail, gapFiller, isNewer } from '../../messaging/order';
import { holdForSync, viewing } from '../../messaging/live';
import { listMessages, markRead, getConversation, conversationName, type Conversation, type Message, type Member } from '../../messaging/api';
import { messageItem, type MessageView } from './message-item';
import { composer } from './composer';
import { typingLine } from './typing';
import { placeReceipts } from './receipts';

const PAGE = 50;
const NEAR_BOTTOM_PX = 80;

export function threadView(conv: Conversation) {
  const id = conv.id;
  const self = me()?.id;
  const log = h('ol', { class: 'thread-log', id: 'thread-log', 'aria-label': `Messages with ${conversationName(conv, self)}` });
  const older = h('button', { type: 'button', class: 'small', id: 'load-older', hidden: true }, 'Load older messages');
  const scroller = h('div', { class: 'thread-scroll', tabindex: '0', role: 'region', 'aria-label': 'Message history' }, older, log);
  const status = h('p', { class: 'muted small', role: 'status' });
  const typingEl = typingLine(id);
  const write = composer(id, (m) => toTail({ conversation_id: id, message: m }));
  const title = h('h2', { id: 'thread-title' });
  const who = h('p', { class: 'muted small', id: 'thread-members' });
  const el = h('section', { class: 'thread card', 'aria-labelledby': 'thread-title' }, title, who, scroller, status, typingEl.el, write.el);
  const heading = (c: Conversation) => {
    title.textContent = conversationName(c, self);
    who.textContent = c.kind === 'group' ? c.members.map((m) => m.username).join(', ') : '';
    who.hidden = c.kind !== 'group';
  };
  heading(conv);

  const views = new Map<number, MessageView>();
  const members = new Map<string, Member>(conv.members.map((m) => [m.id, { ...m }]));
  let myRead = members.get(self ?? '')?.last_read_seq ?? 0;
  let readAtOpen = myRead;
  let tail: SeqTail<Message> | null = null;
  let buffered: Message[] = [];
  let oldest: Message | null = null;
  let loadingOlder = false;
  let separator: HTMLElement | null = null;
  let releaseSync = () => {};

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };
  const visible = () => document.visibilityState === 'visible';

  function newLine(before: HTMLElement) {
    separator = h('li', { class: 'new-sep', id: 'new-messages' }, h('span', null, 'New messages'));
    before.before(separator);
  }

  function add(m: Message, where: 'end' | 'start') {
    const v = messageItem(m, id);
    views.set(m.seq, v);
    if (where === 'end') log.append(v.el);
    else log.prepend(v.el);
    return v;
  }

  function applied(m: Message) {
    const stick = nearBottom() || m.sender?.id === self;
    const v = add(m, 'end');
    if (m.sender) typingEl.stopped(m.sender.id);
    // Arriving while I am not looking: the line marks where I stopped.
    if (!separator && !visible() && m.sender?.id !== self && m.seq > myRead) newLine(v.el);
    if (stick) toBottom();
    receipts();
    readSoon();
  }

  function updated(m: Message) {
    const v = views.get(m.seq);
    if (v && isNewer(v.msg, m)) v.update(m);
  }

  const fill = gapFiller((after) => listMessages(id, { after_seq: after }, 100), () => tail, (e) => { status.textContent = errorText(e); });

  const receipts = () => placeReceipts(views, members, self, tail?.have ?? 0);

  let readTimer: number | undefined;
  function readSoon() {
    clearTimeout(readTimer);
    readTimer = window.setTimeout(async () => {
      const last = tail && views.get(tail.have);
      if (!last || !visible() || last.msg.seq <= myRead) return;
      try {
        myRead = (await markRead(id, last.msg.id)).last_read_seq;
      } catch { /* tried again with the next message or visit */ }
    }, 200);
  }

  // The line goes before the first message of others after my last read, once the
  // messages loaded reach back to that point (above it, all is read).
  function placeLine() {
    if (separator || !oldest || oldest.seq > readAtOpen + 1) return;
    const first = [...views.values()].filter((v) => v.msg.seq > readAtOpen && v.msg.sender?.id !== self && v.msg.message_type !== 'system')
      .sort((x, y) => x.msg.seq - y.msg.seq)[0];
    if (first) newLine(first.el);
  }

  async function loadOlder() {
    if (loadingOlder || !oldest) return;
    loadingOlder = true;
    try {
      const page = await listMessages(id, { before: oldest.id }, PAGE);
      const fromBottom = scroller.scrollHeight - scroller.scrollTop;
      [...page.results].reverse().forEach((m) => add(m, 'start'));
      if (page.results.length) oldest = page.results[0];
      older.hidden = !page.has_more;
      placeLine();
      scroller.scrollTop = scroller.scrollHeight - fromBottom;
      receipts();
    } catch (e) {
      status.textContent = errorText(e);
    } finally {
      loadingOlder = false;
    }
  }
  older.addEventListener('click', loadOlder);
  // A picture that loads after its message grows the thread: a reader at the bottom stays there.
  let stuck = true;
  scroller.addEventListener('scroll', () => {
    stuck = nearBottom();
    if (scroller.scrollTop < 120 && !older.hidden) loadOlder();
  });
  scroller.addEventListener('load', () => { if (stuck) toBottom(); }, true);

  /** The newest page, then whatever the events brought meanwhile; again after a `refetch`. */
  let loading = 0;
  async function load() {
    // Only the newest load lands: an older page could lack what the newer one and the
    // events held meanwhile (buffered) bring.
    const turn = ++loading;
    tail = null;
    releaseSync();
    try {
      const page = await listMessages(id, {}, PAGE);
      if (turn !== loading) return;
      views.clear();
      clear(log);
      separator = null;
      page.results.forEach((m) => add(m, 'end'));
      oldest = page.results[0] ?? null;
      older.hidden = !page.has_more;
      readAtOpen = myRead;
      placeLine();
      const t = new SeqTail<Message>(page.results.at(-1)?.seq ?? 0, { apply: applied, update: updated, fill });
      tail = t;
      releaseSync = holdForSync(id, () => t.have);
      const early = buffered;
      buffered = [];
      early.forEach((m) => t.push(m));
      status.textContent = page.results.length ? '' : 'No messages yet: say hello.';
      receipts();
      const sep = separator as HTMLElement | null; // set by newLine() above
      if (sep) scroller.scrollTop = sep.offsetTop - scroller.clientHeight / 3;
      else toBottom();
      readSoon();
    } catch (e) {
      if (turn === loading) status.textContent = errorText(e);
    }
  }

  const mine = (d: any) => d?.conversation_id === id;
  const toTail = (d: any) => {
    if (!mine(d) || !d.message) return;
    if (tail) tail.push(d.message);
    else buffered.push(d.message);
  };
  const onVisible = () => {
    viewing(visible() ? id : null);
    if (visible()) readSoon();
  };
  const offs = [
    on('message_new', (d) => { toTail(d); if (mine(d)) status.textContent = ''; }),
    on('message_edited', toTail),
    on('message_deleted', toTail),
    on('reaction', (d) => {
      if (!mine(d)) return;
      const v = [...views.values()].find((x) => x.msg.id === d.message_id);
      v?.setReactions(d.reactions, d.user_id === self ? { emoji: d.emoji, reacted: d.reacted } : undefined);
    }),
    on('read', (d) => {
      const m = mine(d) && members.get(d.user_id);
      if (!m) return;
      m.last_read_seq = Math.max(m.last_read_seq ?? 0, d.last_read_seq);
      if (d.user_id === self) myRead = Math.max(myRead, d.last_read_seq);
      receipts();
    }),
    on('refetch', (d) => { if (mine(d)) load(); }),
    on('conversation_updated', async (d) => {
      if (!mine(d)) return;
      if (d.user_id === self && (d.change === 'member_removed' || d.change === 'member_left')) { gone(); return; }
      try {
        const c = await getConversation(id);
        heading(c);
        // (a receipt only moves forward; null: that member hides receipts)
        for (const m of c.members) {
          const known = members.get(m.id)?.last_read_seq ?? 0;
          members.set(m.id, { ...m, last_read_seq: m.last_read_seq === null ? null : Math.max(m.last_read_seq, known) });
        }
        for (const m of [...members.keys()]) if (!c.members.some((x) => x.id === m)) members.delete(m);
        receipts();
      } catch (e) {
        if ((e as { status?: number })?.status === 404) gone();
      }
    }),
  ];
  // Removed, or left in another tab: the history is no longer mine to read.
  function gone() {
    offs.forEach((off) => off());
    releaseSync();
    tail = null;
    clear(el, h('p', { class: 'notice', role: 'status' }, 'You are no longer in this conversation.'));
  }
  document.addEventListener('visibilitychange', onVisible);
  onVisible();
  load();

  return {
    el,
    focus: () => write.focus(),
    cleanup() {
      offs.forEach((off) => off());
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(readTimer);
      typingEl.cleanup();
      releaseSync();
      tail = null;
      viewing(null);
    },
  };
}
