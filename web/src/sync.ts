// Playback synchronization: the server clock estimate and the loop that keeps a
// <video> element on the party's playback state. Documented in docs/realtime.md,
// section "Client sync algorithm".

export interface Playback {
  status: 'playing' | 'paused' | 'waiting';
  position: number;
  rate: number;
  anchor_server_time: number;
  version: number;
  video_id?: string | null;
  set_by?: string | null;
}

/** The local clock: epoch ms, monotonic (performance.now based, never jumps back). */
export function clientNow(): number {
  return performance.timeOrigin + performance.now();
}

interface Sample {
  rtt: number;
  offset: number;
  at: number;
}

/** NTP-style offset from ping/pong: keep the lowest-RTT sample among the last WINDOW. */
export class Clock {
  static WINDOW = 12;
  samples: Sample[] = [];
  offsetMs = 0;
  rttMs = NaN;
  synced = false;

  add(t0: number, t1: number, t2: number) {
    const rtt = t2 - t0;
    if (!(rtt >= 0) || rtt > 10_000) return;
    this.samples.push({ rtt, offset: t1 - (t0 + t2) / 2, at: t2 });
    if (this.samples.length > Clock.WINDOW) this.samples.shift();
    let best = this.samples[0];
    for (const s of this.samples) if (s.rtt < best.rtt) best = s;
    this.offsetMs = best.offset;
    this.rttMs = best.rtt;
    this.synced = true;
  }

  /** Seeds the offset from a one-way server_time before any pong arrives. */
  seed(serverTime: number) {
    if (!this.synced && serverTime) this.offsetMs = serverTime - clientNow();
  }

  serverNow(): number {
    return clientNow() + this.offsetMs;
  }

  toClient(serverMs: number): number {
    return serverMs - this.offsetMs;
  }
}

export function expectedAt(p: Playback, serverMs: number): number {
  if (p.status !== 'playing') return p.position;
  return p.position + (Math.max(0, serverMs - p.anchor_server_time) / 1000) * p.rate;
}

export interface SyncStats {
  driftMs: number; // actual - expected, ms (positive: ahead of the party)
  nudges: number;
  seeks: number;
  lastSeekMs: number; // how long the last corrective seek took to complete
  mode: 'idle' | 'scheduled' | 'in-sync' | 'nudging' | 'seeking' | 'waiting' | 'paused' | 'blocked' | 'ended';
}

/**
 * Thresholds (seconds), measured on headless Chromium (see bench/RESULTS.md and
 * docs/realtime.md): a seek freezes the picture 25-300 ms, a rate nudge never stalls.
 */
export const NUDGE_START = 0.025; // start a rate nudge past 25 ms
export const NUDGE_STOP = 0.005; // back to the party rate under 5 ms
export const SEEK_OVER = 0.5; // seek past 500 ms
export const MAX_NUDGE = 0.1; // rate change at most ±10%
export const NUDGE_GAIN = 2.5; // rate change = drift(s) * gain, clamped: 25 ms -> 6.25%, 40 ms+ -> 10%
export const PAUSED_TOLERANCE = 0.002; // a paused video is seeked onto the party position (cheap when paused)

export class PlaybackSync {
  playback: Playback | null = null;
  stats: SyncStats = { driftMs: 0, nudges: 0, seeks: 0, lastSeekMs: 0, mode: 'idle' };
  private timer: number | undefined;
  private playTimer: number | undefined;
  private nudging = false;
  private seekStarted = 0;
  private seekLead = 0.05; // s: added to corrective seeks to cover their latency (learned)
  private blocked = false;
  private bufferingSent = false;
  private waitTimer: number | undefined;
  onBuffering: (pos: number) => void = () => {};
  onReady: (pos: number) => void = () => {};
  onBlocked: (blocked: boolean) => void = () => {};
  onChange: () => void = () => {};

  constructor(public video: HTMLVideoElement, public clock: Clock) {
    video.addEventListener('seeked', () => {
      if (this.seekStarted) {
        this.stats.lastSeekMs = clientNow() - this.seekStarted;
        // learn the seek latency for the next corrective seek (smoothed, bounded)
        const s = this.stats.lastSeekMs / 1000;
        this.seekLead = Math.min(0.5, Math.max(0.01, this.seekLead * 0.5 + s * 0.5));
        this.seekStarted = 0;
      }
    });
    const onWait = () => {
      // Report buffering only when it lasts (a corrective seek's short wait is not worth
      // pausing everyone) and only while the party is actually playing.
      if (this.waitTimer !== undefined) return;
      this.waitTimer = window.setTimeout(() => {
        this.waitTimer = undefined;
        const p = this.playback;
        if (!p || p.status !== 'playing' || this.clock.serverNow() < p.anchor_server_time) return;
        if (this.video.readyState >= 3 || this.video.paused) return;
        this.bufferingSent = true;
        this.onBuffering(this.video.currentTime);
      }, 400);
    };
    const onCanPlay = () => {
      if (this.waitTimer !== undefined) {
        clearTimeout(this.waitTimer);
        this.waitTimer = undefined;
      }
      if (this.bufferingSent) {
        this.bufferingSent = false;
        this.onReady(this.video.currentTime);
      }
    };
    video.addEventListener('waiting', onWait);
    video.addEventListener('stalled', onWait);
    video.addEventListener('canplay', onCanPlay);
    video.addEventListener('playing', onCanPlay);
    video.addEventListener('canplaythrough', onCanPlay);
  }

  start() {
    this.stop();
    this.timer = window.setInterval(() => this.tick(), 100);
  }

  stop() {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.playTimer !== undefined) clearTimeout(this.playTimer);
    this.timer = this.playTimer = undefined;
  }

  /** Call when the user gestures, to retry a play() the browser's autoplay policy refused. */
  unblock() {
    this.blocked = false;
    this.onBlocked(false);
    this.tick();
  }

  setPlayback(p: Playback) {
    if (this.playback && p.version < this.playback.version) return;
    this.playback = p;
    if (this.playTimer !== undefined) {
      clearTimeout(this.playTimer);
      this.playTimer = undefined;
    }
    this.tick();
  }

  expectedPosition(serverMs = this.clock.serverNow()): number {
    return this.playback ? expectedAt(this.playback, serverMs) : 0;
  }

  private duration(): number {
    const d = this.video.duration;
    return isFinite(d) && d > 0 ? d : Infinity;
  }

  private seek(to: number) {
    const d = this.duration();
    if (to > d) to = Math.max(0, d - 0.05);
    this.seekStarted = clientNow();
    this.stats.seeks++;
    this.video.currentTime = Math.max(0, to);
  }

  private setRate(r: number) {
    if (Math.abs(this.video.playbackRate - r) > 1e-4) this.video.playbackRate = r;
  }

  private play() {
    if (!this.video.paused || this.blocked) return;
    const pr = this.video.play();
    if (pr && typeof pr.catch === 'function') {
      pr.catch((e: DOMException) => {
        if (e && e.name === 'NotAllowedError') {
          this.blocked = true;
          this.stats.mode = 'blocked';
          this.onBlocked(true);
        }
        // AbortError: a pause() or new source interrupted it; the next tick retries.
      });
    }
  }

  tick() {
    const p = this.playback;
    const v = this.video;
    if (!p || v.readyState === 0) {
      this.stats.mode = 'idle';
      this.onChange();
      return;
    }
    const now = this.clock.serverNow();
    if (p.status !== 'playing') {
      if (!v.paused) v.pause();
      this.setRate(p.rate || 1);
      this.nudging = false;
      const target = Math.min(p.position, this.duration());
      if (Math.abs(v.currentTime - target) > PAUSED_TOLERANCE && !v.seeking) this.seek(target);
      this.stats.driftMs = (v.currentTime - target) * 1000;
      this.stats.mode = p.status === 'waiting' ? 'waiting' : 'paused';
      this.onChange();
      return;
    }
    if (now < p.anchor_server_time) {
      // A scheduled play: hold at the position, then start exactly at the anchor.
      if (!v.paused) v.pause();
      this.setRate(p.rate);
      if (Math.abs(v.currentTime - p.position) > 0.01 && !v.seeking) this.seek(p.position);
      if (this.playTimer === undefined) {
        const delay = Math.max(0, this.clock.toClient(p.anchor_server_time) - clientNow());
        this.playTimer = window.setTimeout(() => {
          this.playTimer = undefined;
          this.play();
          this.tick();
        }, delay);
      }
      this.stats.mode = 'scheduled';
      this.stats.driftMs = 0;
      this.onChange();
      return;
    }
    const expected = expectedAt(p, now);
    if (expected >= this.duration()) {
      if (!v.paused) v.pause();
      this.stats.mode = 'ended';
      this.onChange();
      return;
    }
    if (this.blocked) {
      this.stats.mode = 'blocked';
      this.onChange();
      return;
    }
    if (v.paused) {
      // Late (joined mid-play, came back from waiting): jump to where the party will be
      // once the seek is done, then play.
      if (Math.abs(v.currentTime - expected) > NUDGE_START && !v.seeking) this.seek(expected + this.seekLead);
      this.setRate(p.rate);
      this.play();
      this.stats.mode = 'seeking';
      this.onChange();
      return;
    }
    if (v.seeking) {
      this.stats.mode = 'seeking';
      this.onChange();
      return;
    }
    const drift = v.currentTime - expected; // s, > 0 ahead
    this.stats.driftMs = drift * 1000;
    const ad = Math.abs(drift);
    if (ad > SEEK_OVER) {
      this.nudging = false;
      this.setRate(p.rate);
      this.seek(expected + this.seekLead * p.rate);
      this.stats.mode = 'seeking';
    } else if (ad > NUDGE_START || (this.nudging && ad > NUDGE_STOP)) {
      if (!this.nudging) this.stats.nudges++;
      this.nudging = true;
      const adj = Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, -drift * NUDGE_GAIN));
      this.setRate(p.rate * (1 + adj));
      this.stats.mode = 'nudging';
    } else {
      this.nudging = false;
      this.setRate(p.rate);
      this.stats.mode = 'in-sync';
    }
    this.onChange();
  }
}
