// Messaging's side of the per-user socket (docs/realtime.md, "Messaging"): what the
// client sends. After each (re)connect it sends `sync` with the `have` of every
// conversation a view holds, so the server replays what was missed in order; `typing`
// at most every 3 s per conversation; `viewing` while a thread is in view.
import { on, send } from '../user-socket';

const holders = new Map<string, Set<() => number>>();

/** A view holds a conversation up to `have()`; sync asks from there. Returns the release. */
export function holdForSync(conversationId: string, have: () => number): () => void {
  let set = holders.get(conversationId);
  if (!set) holders.set(conversationId, (set = new Set()));
  set.add(have);
  return () => {
    set!.delete(have);
    if (!set!.size) holders.delete(conversationId);
  };
}

const SYNC_MAX = 100;

function sendSync() {
  const conversations: Record<string, number> = {};
  for (const [id, fns] of holders) {
    if (Object.keys(conversations).length >= SYNC_MAX) break;
    // Two views of one conversation: ask from the one that holds less.
    conversations[id] = Math.min(...[...fns].map((f) => f()));
  }
  if (Object.keys(conversations).length) send({ type: 'sync', conversations });
}

const TYPING_EVERY_MS = 3000;
const lastTyping = new Map<string, number>();

/** Tells the other members that I am typing (the server drops more than one per 3 s anyway). */
export function typing(conversationId: string) {
  const now = Date.now();
  if (now - (lastTyping.get(conversationId) ?? 0) < TYPING_EVERY_MS) return;
  if (send({ type: 'typing', conversation_id: conversationId })) lastTyping.set(conversationId, now);
}

const VIEWING_EVERY_MS = 30_000;
let viewingId: string | null = null;
let viewingTimer: number | undefined;

/** The conversation in view (null: none); renewed every 30 s while it stays. */
export function viewing(conversationId: string | null) {
  const changed = conversationId !== viewingId;
  viewingId = conversationId;
  clearInterval(viewingTimer);
  if (changed || conversationId) send({ type: 'viewing', conversation_id: conversationId });
  if (conversationId) viewingTimer = window.setInterval(() => send({ type: 'viewing', conversation_id: viewingId }), VIEWING_EVERY_MS);
}

on('connected', () => {
  sendSync();
  if (viewingId) send({ type: 'viewing', conversation_id: viewingId });
});
