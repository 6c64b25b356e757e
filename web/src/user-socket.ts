// The per-user channel /ws/user/ (docs/realtime.md, "The per-user channel"): one socket
// per tab while someone is logged in, opened after login or restore and closed on logout.
// Pages never open it: they subscribe with on(type, fn), which returns the unsubscribe.
// The server pings the socket itself (the browser answers), so no application ping is sent.
// Events missed while disconnected are not replayed: the pseudo-event `connected` tells
// subscribers that the socket (re)opened, so they reload their lists over REST (messaging
// also asks for its missed messages with `sync`: messaging/live.ts).
import { me, onAuthChange, token, refresh } from './api';

export interface UserEvent {
  type: string;
  data?: any;
  [k: string]: unknown;
}
type Handler = (data: any, event: UserEvent) => void;

const handlers = new Map<string, Set<Handler>>();
let ws: WebSocket | null = null;
let userId: string | null = null;
let attempt = 0;
let retryTimer: number | undefined;
let open = false;

/** Calls `fn` with each event of `type` (its `data`); returns the unsubscribe. */
export function on(type: string, fn: Handler): () => void {
  let set = handlers.get(type);
  if (!set) handlers.set(type, (set = new Set()));
  set.add(fn);
  return () => { set!.delete(fn); };
}

/** Whether the socket is open now (tests read it through window.__wpUser). */
export const connected = () => open;

/** Sends a client message (docs/realtime.md, "Client → server"); false when the socket is not open. */
export function send(msg: { type: string; [k: string]: unknown }): boolean {
  if (!open || !ws || ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(msg));
  return true;
}

function emit(ev: UserEvent) {
  for (const fn of [...(handlers.get(ev.type) ?? [])]) {
    try { fn(ev.data, ev); } catch (e) { console.warn(e); }
  }
}

async function connect() {
  clearTimeout(retryTimer);
  const mine = userId;
  if (!mine) return;
  const t = await token();
  if (userId !== mine || ws) return;
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const sock = new WebSocket(`${proto}://${location.host}/ws/user/?${new URLSearchParams({ token: t || '' })}`);
  ws = sock;
  sock.onmessage = (m) => {
    let ev: UserEvent;
    try { ev = JSON.parse(m.data); } catch { return; }
    if (!ev || typeof ev.type !== 'string') return;
    if (ev.type === 'hello') {
      attempt = 0;
      open = true;
      emit({ type: 'connected' });
      return;
    }
    emit(ev);
  };
  sock.onclose = async (ev) => {
    if (ws !== sock) return;
    ws = null;
    const was = open;
    open = false;
    if (was) emit({ type: 'disconnected' });
    if (userId !== mine) return;
    // 4001: the access token expired, or the session ended (a logout closes the socket
    // before its answer arrives: wait for it, so that a logged-out tab does not refresh).
    if (ev.code === 4001) {
      if (attempt >= 2) return;
      attempt++;
      await new Promise((r) => setTimeout(r, 1000));
      if (userId === mine && !ws && await refresh()) connect();
      return;
    }
    // Back-off with jitter: a reconnect within the presence debounce is invisible to friends.
    const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt++;
    retryTimer = window.setTimeout(connect, delay);
  };
}

function close() {
  clearTimeout(retryTimer);
  userId = null;
  attempt = 0;
  const sock = ws;
  ws = null;
  if (open) { open = false; emit({ type: 'disconnected' }); }
  sock?.close(1000);
}

/** Follows the login state: called once from main.ts. */
export function startUserSocket() {
  const follow = () => {
    const u = me();
    if ((u?.id ?? null) === userId) return; // a token refresh: same user, same socket
    close();
    if (!u) return;
    userId = u.id;
    connect();
  };
  onAuthChange(follow);
  follow();
  window.addEventListener('online', () => { if (userId && !ws) { attempt = 0; connect(); } });
  // drop(): tests cut the socket as a lost network would (it reconnects with back-off).
  (window as any).__wpUser = { connected, drop: () => ws?.close(4000) };
}
