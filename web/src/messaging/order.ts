// Puts one conversation's messages in `seq` order (docs/realtime.md, "Messaging", Order):
// `have` is the highest seq up to which every message is held. A message at have+1 is
// applied (then any held ones that follow); one further on is held and the gap is filled
// from REST; one at or below `have` is a duplicate, passed on as a possible update (an
// edit or a deletion carries the message in its newer state).

export interface Sequenced {
  seq: number;
  edited_at?: string | null;
  is_deleted?: boolean;
}

/** Whether `b` is a later state of the same message than `a`. */
export function isNewer(a: Sequenced, b: Sequenced): boolean {
  if (!!b.is_deleted !== !!a.is_deleted) return !!b.is_deleted;
  return (b.edited_at ?? '') > (a.edited_at ?? '');
}

export interface TailHooks<M extends Sequenced> {
  /** A message in order, once. */
  apply: (m: M) => void;
  /** A message at or below `have`: already held, maybe in an older state. */
  update: (m: M) => void;
  /** Fetch what follows `after` (REST `after_seq`) and push it. */
  fill: (after: number) => void;
}

export class SeqTail<M extends Sequenced> {
  private held = new Map<number, M>();
  constructor(public have: number, private hooks: TailHooks<M>) {}

  push(m: M) {
    if (m.seq <= this.have) { this.hooks.update(m); return; }
    const old = this.held.get(m.seq);
    if (!old || isNewer(old, m)) this.held.set(m.seq, m);
    if (m.seq === this.have + 1) this.drain();
    else this.hooks.fill(this.have);
  }

  /** Whether a gap is waiting to be filled. */
  get waiting(): boolean {
    return this.held.size > 0;
  }

  /** Starts again from `have` (a REST load): held messages up to it are updates now. */
  reset(have: number) {
    this.have = Math.max(this.have, have);
    for (const [seq, m] of [...this.held]) {
      if (seq > this.have) continue;
      this.held.delete(seq);
      this.hooks.update(m);
    }
    this.drain();
  }

  private drain() {
    for (let m = this.held.get(this.have + 1); m; m = this.held.get(this.have + 1)) {
      this.held.delete(m.seq);
      this.have = m.seq;
      this.hooks.apply(m);
    }
    if (this.held.size) this.hooks.fill(this.have);
  }
}

/**
 * A gap filler for a SeqTail: waits `delayMs` (events in flight usually close the gap
 * by then), then walks REST from `have` on until the answer says nothing more follows.
 * One walk at a time; a request during a walk makes it walk once more.
 */
export function gapFiller<M extends Sequenced>(fetchAfter: (after: number) => Promise<{ results: M[]; has_more: boolean }>,
  tail: () => SeqTail<M> | null, failed: (e: unknown) => void, delayMs = 150) {
  let running = false;
  let again = false;
  let timer: number | undefined;

  async function walk() {
    if (running) { again = true; return; }
    running = true;
    try {
      // Another walk only while messages are still held past a gap (at most a few: a
      // gap REST cannot fill is reported, not retried for ever).
      for (let walks = 0; walks < 5; walks++) {
        again = false;
        for (let more = true; more;) {
          const t = tail();
          if (!t) return;
          const page = await fetchAfter(t.have);
          if (tail() !== t) return;
          page.results.forEach((m) => t.push(m));
          more = page.has_more && page.results.length > 0;
        }
        if (!again || !tail()?.waiting) break;
      }
    } catch (e) {
      failed(e);
    } finally {
      running = false;
    }
  }

  return function request() {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      if (tail()?.waiting) walk();
    }, delayMs);
  };
}
