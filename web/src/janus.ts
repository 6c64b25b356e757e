// A small client of Janus's HTTP API (https://janus.conf.meetecho.com/docs/rest.html),
// as much as the calls beyond the mesh need: a session under the member's token,
// plugin handles, plugin requests whose answer comes synchronously or as an event
// of the long poll, trickled ICE candidates, and the session's keepalive. Every
// request carries the token the server gave (docs/realtime.md, "Beyond the mesh").

export interface JanusAnswer { data: any; jsep?: RTCSessionDescriptionInit }

export class JanusError extends Error {
  constructor(readonly code: number, reason: string) { super(`Janus: ${reason} (${code})`); }
}

const KEEPALIVE_MS = 25_000;  // Janus forgets a session after 60 s of silence

const txn = () => Math.random().toString(36).slice(2, 12);

export class JanusSession {
  private id = 0;
  private pending = new Map<string, (m: any) => void>();
  private handles = new Map<number, JanusHandle>();
  private alive = false;
  private keepalive = 0;
  onLost: (why: string) => void = () => undefined;

  constructor(private url: string, private token: string) {}

  async post(path: string, body: Record<string, unknown>): Promise<any> {
    const r = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, token: this.token, transaction: body.transaction ?? txn() }),
    });
    const m = await r.json();
    if (m.janus === 'error') throw new JanusError(m.error?.code ?? 0, m.error?.reason ?? 'error');
    return m;
  }

  async create(): Promise<void> {
    this.id = (await this.post('', { janus: 'create' })).data.id;
    this.alive = true;
    this.poll();
    this.keepalive = window.setInterval(() => {
      this.post(`/${this.id}`, { janus: 'keepalive' }).catch((e) => this.lose(String(e)));
    }, KEEPALIVE_MS);
  }

  async attach(plugin: string): Promise<JanusHandle> {
    const id = (await this.post(`/${this.id}`, { janus: 'attach', plugin })).data.id;
    const h = new JanusHandle(this, id);
    this.handles.set(id, h);
    return h;
  }

  // A plugin request: the synchronous answer, or the event that carries the same transaction.
  async message(handle: number, body: Record<string, unknown>, jsep?: RTCSessionDescriptionInit): Promise<JanusAnswer> {
    const transaction = txn();
    const waiting = new Promise<any>((resolve) => this.pending.set(transaction, resolve));
    let m: any;
    try {
      m = await this.post(`/${this.id}/${handle}`, { janus: 'message', body, transaction, ...(jsep ? { jsep } : {}) });
    } catch (e) {
      this.pending.delete(transaction);
      throw e;
    }
    if (m.janus === 'success') { this.pending.delete(transaction); return this.answerOf(m); }
    return this.answerOf(await waiting);
  }

  trickle(handle: number, candidate: RTCIceCandidateInit | null) {
    const body = candidate ? { candidate } : { candidate: { completed: true } };
    this.post(`/${this.id}/${handle}`, { janus: 'trickle', ...body }).catch(() => undefined);
  }

  destroy() {
    if (!this.alive) return;
    this.alive = false;
    clearInterval(this.keepalive);
    for (const h of this.handles.values()) h.close();
    this.post(`/${this.id}`, { janus: 'destroy' }).catch(() => undefined);
  }

  get closed() { return !this.alive; }

  private answerOf(m: any): JanusAnswer {
    const data = m.plugindata?.data ?? {};
    if (data.error_code) throw new JanusError(data.error_code, data.error ?? 'plugin error');
    return { data, jsep: m.jsep };
  }

  private lose(why: string) {
    if (!this.alive) return;
    this.destroy();
    this.onLost(why);
  }

  // The long poll: events of every handle, a few at a time, until the session ends.
  private async poll() {
    while (this.alive) {
      let events: any[];
      try {
        const r = await fetch(`${this.url}/${this.id}?maxev=5&rid=${Date.now()}&token=${encodeURIComponent(this.token)}`);
        const body = await r.json();
        // The session is gone or our token was revoked (kicked, blocked, the call ended): stop polling.
        if (!Array.isArray(body) && body.janus === 'error') { this.lose(body.error?.reason ?? 'refused'); return; }
        events = Array.isArray(body) ? body : [body];
      } catch (e) {
        if (this.alive) this.lose(String(e));
        return;
      }
      for (const m of events) this.dispatch(m);
    }
  }

  private dispatch(m: any) {
    if (m.janus === 'keepalive' || m.janus === 'ack') return;
    const waiter = m.transaction ? this.pending.get(m.transaction) : undefined;
    if (waiter && m.janus === 'event') {
      this.pending.delete(m.transaction);
      return waiter(m);
    }
    const h = this.handles.get(m.sender);
    if (!h) return;
    if (m.janus === 'event') h.onEvent(m.plugindata?.data ?? {}, m.jsep);
    else if (m.janus === 'hangup' || m.janus === 'detached') h.onHangup(m.reason ?? m.janus);
  }
}

export class JanusHandle {
  onEvent: (data: any, jsep?: RTCSessionDescriptionInit) => void = () => undefined;
  onHangup: (why: string) => void = () => undefined;
  pc: RTCPeerConnection | null = null;

  constructor(private session: JanusSession, readonly id: number) {}

  send(body: Record<string, unknown>, jsep?: RTCSessionDescriptionInit) { return this.session.message(this.id, body, jsep); }

  // A peer connection whose candidates go to Janus.
  peer(iceServers: RTCIceServer[]): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers });
    pc.onicecandidate = ({ candidate }) => this.session.trickle(this.id, candidate ? candidate.toJSON() : null);
    this.pc = pc;
    return pc;
  }

  close() {
    this.pc?.close();
    this.pc = null;
  }
}
