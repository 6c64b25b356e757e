// Messages (/messages and /messages/{id}): my conversations beside the open one. On a
// phone only one of the two shows: the list, or the thread with a way back to the list.
import { me, ApiError } from '../../api';
import { h, errorText } from '../../ui';
import { link } from '../../nav';
import { userSearch } from '../people';
import { getConversation } from '../../messaging/api';
import { conversationList } from './conversation-list';
import { threadView } from './thread';
import { messageButton } from './message-button';
import { receiptsSetting } from './receipts-setting';
import { newGroupForm } from './new-group';

export async function messagesPage(root: HTMLElement, [id]: string[]) {
  let thread: ReturnType<typeof threadView> | null = null;
  const list = conversationList((cid) => cid === id && document.visibilityState === 'visible');
  list.setActive(id ?? null);
  const start = h('details', { class: 'new-conversation' }, h('summary', null, 'New message'),
    userSearch({ label: 'Find a person', id: 'message-search', action: (u) => messageButton(u, 'small') }).el);
  const side = h('aside', { class: 'card conv-side', 'aria-label': 'Your conversations' }, start, newGroupForm(), list.el, receiptsSetting());
  const layout = h('div', { class: `messages-layout${id ? ' has-thread' : ''}` }, side);
  root.append(h('h1', null, 'Messages'), layout);

  if (!id) {
    layout.append(h('section', { class: 'card thread-empty muted' }, h('p', null, 'Choose a conversation, or start one with New message.')));
    return list.cleanup;
  }
  try {
    thread = threadView(await getConversation(id));
    layout.append(h('div', { class: 'thread-col' }, h('p', { class: 'back-link' }, link('/messages', '← All conversations')), thread.el));
    if (me()) thread.focus();
  } catch (e) {
    const gone = e instanceof ApiError && e.status === 404;
    layout.append(h('section', { class: 'card thread-empty', role: 'alert' },
      h('p', { class: gone ? 'muted' : 'error' }, gone ? 'This conversation does not exist, or you are not in it.' : errorText(e)),
      link('/messages', 'Back to your conversations')));
  }
  return () => { thread?.cleanup(); list.cleanup(); };
}
