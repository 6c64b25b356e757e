// The party room's voice chat and screen share (issue #17). The server relays
// the signaling (rtc_offer / rtc_answer / rtc_ice, addressed to one member) and
// says who is in the call (voice_state, screen_share_state); media goes from
// browser to browser: one RTCPeerConnection per pair of members, "perfect
// negotiation" (the member with the larger user id is polite and yields when
// both offer at once). room.ts owns the socket: it hands the call's messages to
// onMessage() and the user's role to setRole(). The first offer of a pair is the
// impolite side's (the polite one waits for it). Nothing here touches playback
// sync; ducking only changes the film's volume. Beyond the mesh the server answers
// with SFU passes (the join's `sfu`, or `call_sfu`): the page then closes the mesh
// and talks to Janus (call-sfu.ts); one mixed stream replaces the peers' audio,
// Janus's talking events mark who speaks, and per-person volumes are hidden (a
// mix cannot be taken apart).
import { api, ApiError } from './api';
import { joinSfu, SfuCall, SfuPass } from './call-sfu';
import { toast, toastError } from './toast';
import { h, clear } from './ui';

interface Member { user: { id: string; username: string }; muted: boolean; deafened: boolean; server_muted: boolean; participant_id?: number }
interface Share { id: string; user: { id: string; username: string }; kind: string }
interface Peer {
  id: string;
  pc: RTCPeerConnection;
  polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  audio: HTMLAudioElement;
  level: () => number;
  shareSender: RTCRtpSender | null;
  video: MediaStream | null;
}

const PTT_KEY = 'v';
const SPEAKING_LEVEL = 0.02;  // RMS of the audio above which someone is speaking
const LEVEL_TICK_MS = 100;    // how often the levels are read
const SPEAKING_HOLD_MS = 250; // a speaker stays lit this long after their last loud moment
const DUCKED = 0.25;          // the film's volume while someone speaks, relative to its own
const MIX = '';               // the speaker of Janus's mix (nobody in particular)

export interface CallOptions {
  myId: string;
  send: (msg: Record<string, unknown>) => boolean;
  video: HTMLVideoElement;  // the film, for ducking only
}

export function callBar(partyId: string, opts: CallOptions) {
  let role = 'participant';
  let inCall = false;
  let members: Member[] = [];
  let shares: Share[] = [];
  let version = -1;
  let iceServers: RTCIceServer[] = [];
  let mic: MediaStream | null = null;
  let micLevel: () => number = () => 0;
  let muted = false, deafened = false, pttHeld = false;
  let myShare: { id: string; stream: MediaStream } | null = null;
  const peers = new Map<string, Peer>();
  let mode = 'mesh';                            // the call's, from the server: 'sfu' beyond the mesh
  let sfu: SfuCall | null = null;              // the call through Janus, when beyond the mesh
  let sfuJoining: Promise<void> | null = null;
  let sfuPass: SfuPass | null = null;
  const participants = new Map<number, string>();  // Janus participant id -> user id (voice_state)
  // User ids Janus says are talking, as Janus says it. A server mute is applied when the marks are
  // drawn: Janus's unmute and our voice_state come on two channels in either order, and Janus does not
  // repeat a verdict, so filtering here would lose a talker unmuted mid-sentence.
  const sfuTalking = new Set<string>();
  const mix = h('audio', { autoplay: true });  // Janus's mix of the room
  let mixLevel: () => number = () => 0;
  const sfuShares = new Map<string, MediaStream>();  // user id -> their share, through Janus
  const volumes = new Map<string, number>();
  const speaking = new Set<string>();
  const lastLoud = new Map<string, number>();  // user id -> when their audio was last above the level
  let audioCtx: AudioContext | null = null;
  let ducked: number | null = null;  // the film's volume before ducking
  let signals: Promise<void> = Promise.resolve();
  // Signals that arrive while our join is answered (a member saw voice_state first and offered
  // at once) wait for it: dropping an offer would leave a polite peer waiting for ever.
  let early: any[] | null = null;
  const trace: string[] = [];  // the last signaling steps, for the browser tests' failure reports
  const note = (s: string) => { trace.push(`${Math.round(performance.now())} ${s}`); if (trace.length > 60) trace.shift(); };

  // ---- UI
  const joinBtn = h('button', { class: 'small primary', id: 'voice-join', onclick: () => (inCall ? leave() : join()) }, 'Join voice');
  const muteBtn = h('button', { class: 'small', id: 'voice-mute', hidden: true, 'aria-pressed': 'false', onclick: () => setMuted(!muted) }, 'Mute');
  const deafBtn = h('button', { class: 'small', id: 'voice-deafen', hidden: true, 'aria-pressed': 'false', onclick: () => setDeafened(!deafened) }, 'Deafen');
  const ptt = h('input', { type: 'checkbox', id: 'voice-ptt' });
  const duck = h('input', { type: 'checkbox', id: 'voice-duck', checked: true });
  const shareBtn = h('button', { class: 'small', id: 'share-screen', hidden: true, onclick: () => (myShare ? stopShare(myShare.id) : startShare()) }, 'Share screen');
  const list = h('ul', { class: 'voice-members', id: 'voice-members', 'aria-live': 'polite' });
  const el = h('section', { class: 'card tight voice-bar', id: 'voice-bar', 'aria-label': 'Voice chat' },
    h('div', { class: 'voice-actions' }, joinBtn, muteBtn, deafBtn, shareBtn,
      h('label', { class: 'small' }, ptt, ` Push to talk (hold ${PTT_KEY.toUpperCase()})`),
      h('label', { class: 'small' }, duck, ' Lower the film while someone speaks')),
    list);
  const tileVideo = h('video', { autoplay: true, playsinline: true, muted: true, id: 'share-video' });
  const tileLabel = h('div', { class: 'muted small', id: 'share-label' });
  const stopOther = h('button', { class: 'small danger', id: 'share-stop', hidden: true }, 'Stop share');
  const tile = h('div', { class: 'share-tile', id: 'share-tile', hidden: true }, tileVideo, h('div', { class: 'share-bar' }, tileLabel, stopOther));

  const isMod = () => role === 'host' || role === 'moderator';
  const me = () => members.find((m) => m.user.id === opts.myId);

  function render() {
    joinBtn.textContent = inCall ? 'Leave voice' : 'Join voice';
    muteBtn.hidden = deafBtn.hidden = shareBtn.hidden = !inCall;
    const serverMuted = !!me()?.server_muted;
    muteBtn.textContent = serverMuted ? 'Muted by a moderator' : muted ? 'Unmute' : 'Mute';
    muteBtn.disabled = serverMuted;
    muteBtn.setAttribute('aria-pressed', String(muted || serverMuted));
    deafBtn.textContent = deafened ? 'Undeafen' : 'Deafen';
    deafBtn.setAttribute('aria-pressed', String(deafened));
    shareBtn.textContent = myShare ? 'Stop sharing' : 'Share screen';
    clear(list, ...members.map((m) => {
      const self = m.user.id === opts.myId;
      const vol = mode === 'sfu' ? null : h('input', { type: 'range', min: '0', max: '1', step: '0.05', value: String(volumes.get(m.user.id) ?? 1), 'aria-label': `Volume of ${m.user.username}`, class: 'volume' });
      // Through Janus everyone comes in one mix: no volume per person (docs/realtime.md).
      if (vol) vol.addEventListener('input', () => { volumes.set(m.user.id, Number(vol.value)); applyAudio(); });
      const flags = [m.server_muted ? 'muted by a moderator' : m.muted ? 'muted' : '', m.deafened ? 'deafened' : ''].filter(Boolean).join(', ');
      return h('li', { class: `voice-member${speaking.has(m.user.id) ? ' speaking' : ''}`, dataset: { userId: m.user.id } },
        h('span', { class: 'speaking-dot', 'aria-hidden': 'true' }), h('span', null, m.user.username + (self ? ' (you)' : '')),
        flags ? h('span', { class: 'muted small' }, ` ${flags}`) : null,
        !self && inCall ? vol : null,
        !self && isMod() ? h('button', { class: 'small', dataset: { slot: 'server-mute' }, onclick: () => serverMute(m) }, m.server_muted ? 'Allow to speak' : 'Server mute') : null);
    }));
    renderTile();
  }

  function renderTile() {
    const share = shares.find((s) => s.user.id !== opts.myId) ?? shares[0];
    const stream = share ? (share.user.id === opts.myId ? myShare?.stream : sfu ? sfuShares.get(share.user.id) : peers.get(share.user.id)?.video) : null;
    tile.hidden = !share || !stream;
    if (!share || !stream) { tileVideo.srcObject = null; return; }
    if (tileVideo.srcObject !== stream) { tileVideo.srcObject = stream; tileVideo.play().catch(() => undefined); }
    tileLabel.textContent = `${share.user.username} is sharing a ${share.kind}`;
    stopOther.hidden = !(isMod() || share.user.id === opts.myId);
    stopOther.onclick = () => stopShare(share.id);
  }

  // ---- the call
  async function join() {
    joinBtn.disabled = true;
    try {
      mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
      micLevel = meter(mic);
      early = [];
      const body = await api<any>(`/api/parties/${partyId}/call/join/`, { method: 'POST' });
      iceServers = body.ice_servers || [];
      inCall = true;
      if (body.sfu) enterSfu(body.sfu);
      applyState(body.members, body.version, body.mode);
      applyMic();
      for (const m of early) signal(m);
      early = null;
    } catch (err) {
      early = null;
      stopMic();
      if (err instanceof ApiError) toastError(err);
      else toast(`Cannot use the microphone: ${(err as Error).message}`, 'error');
    }
    joinBtn.disabled = false;
    render();
  }

  async function leave() {
    teardown();
    render();
    try { await api(`/api/parties/${partyId}/call/leave/`, { method: 'POST' }); } catch (err) { toastError(err); }
  }

  function teardown() {
    if (myShare) { for (const t of myShare.stream.getTracks()) t.stop(); myShare = null; }
    for (const id of [...peers.keys()]) closePeer(id);
    leaveSfu();
    stopMic();
    inCall = false;
    speaking.clear();
    lastLoud.clear();
    unduck();
  }

  function stopMic() {
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
    micLevel = () => 0;
  }

  function applyState(list: Member[], v: number, m?: string) {
    if (v < version) return;
    version = v;
    members = list;
    if (m) mode = m;
    participants.clear();
    for (const x of members) if (x.participant_id !== undefined) participants.set(x.participant_id, x.user.id);
    for (const id of [...sfuTalking]) if (!members.some((y) => y.user.id === id)) sfuTalking.delete(id);
    sfu?.setMuted(!!me()?.server_muted).catch(() => undefined);
    if (inCall && !members.some((m) => m.user.id === opts.myId)) {
      // The server let us go (kicked, or another tab left): stop everything here.
      teardown();
    }
    if (inCall && !sfu && !sfuJoining) {
      for (const m of members) if (m.user.id !== opts.myId && !peers.has(m.user.id)) openPeer(m.user.id);
      for (const id of [...peers.keys()]) if (!members.some((m) => m.user.id === id)) closePeer(id);
    }
    applyMic();
    applyAudio();
    render();
  }

  // ---- peers
  function openPeer(id: string): Peer {
    note(`open ${id.slice(0, 4)} tracks=${mic?.getAudioTracks().length ?? 0}`);
    const pc = new RTCPeerConnection({ iceServers });
    const audio = h('audio', { autoplay: true });
    const peer: Peer = { id, pc, polite: opts.myId > id, makingOffer: false, ignoreOffer: false, audio, level: () => 0, shareSender: null, video: null };
    peers.set(id, peer);
    for (const t of mic?.getAudioTracks() ?? []) pc.addTrack(t, mic!);
    if (myShare) peer.shareSender = pc.addTrack(myShare.stream.getVideoTracks()[0], myShare.stream);
    pc.onnegotiationneeded = async () => {
      // The first offer of a pair is the impolite side's: two first offers crossing made Chromium
      // answer with no transport now and then. Later changes (a share) may come from either side.
      if (peer.polite && !pc.remoteDescription) return note(`waits for ${id.slice(0, 4)} to offer`);
      try {
        peer.makingOffer = true;
        note(`offer to ${id.slice(0, 4)} from ${pc.signalingState}`);
        await pc.setLocalDescription();
        opts.send({ type: 'rtc_offer', to: id, sdp: pc.localDescription!.sdp });
      } catch (err) {
        console.warn('offer failed', err);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => { if (candidate) opts.send({ type: 'rtc_ice', to: id, candidate: candidate.toJSON() }); };
    pc.ontrack = ({ track, streams }) => {
      if (track.kind === 'audio') {
        const stream = streams[0] ?? new MediaStream([track]);
        audio.srcObject = stream;
        audio.play().catch(() => undefined);
        peer.level = meter(stream);
        applyAudio();
      } else {
        peer.video = streams[0] ?? new MediaStream([track]);
        track.addEventListener('ended', () => { peer.video = null; renderTile(); });
        renderTile();
      }
    };
    pc.onconnectionstatechange = () => { if (pc.connectionState === 'failed') pc.restartIce(); };
    return peer;
  }

  function closePeer(id: string) {
    const p = peers.get(id);
    if (!p) return;
    note(`close ${id.slice(0, 4)}`);
    p.pc.close();
    p.audio.srcObject = null;
    peers.delete(id);
    speaking.delete(id);
  }

  async function onSignal(m: any) {
    note(`${m.type} from ${m.from.id.slice(0, 4)}${inCall ? '' : ' (not in call)'}`);
    if (!inCall) return;
    const from = m.from.id as string;
    const peer = peers.get(from) ?? openPeer(from);
    const pc = peer.pc;
    try {
      if (m.type === 'rtc_ice') {
        try { await pc.addIceCandidate(m.candidate); } catch (err) { if (!peer.ignoreOffer) throw err; }
        return;
      }
      const desc = { type: m.type === 'rtc_offer' ? 'offer' : 'answer', sdp: m.sdp } as RTCSessionDescriptionInit;
      const collision = desc.type === 'offer' && (peer.makingOffer || pc.signalingState !== 'stable');
      peer.ignoreOffer = !peer.polite && collision;
      if (peer.ignoreOffer) return note('ignored (collision)');
      await pc.setRemoteDescription(desc);
      if (desc.type === 'offer') {
        await pc.setLocalDescription();
        opts.send({ type: 'rtc_answer', to: from, sdp: pc.localDescription!.sdp });
      }
    } catch (err) {
      console.warn('signaling failed', err);
    }
  }

  // ---- beyond the mesh: Janus
  function enterSfu(pass: SfuPass) {
    if (!mic) return;
    leaveSfu();
    for (const id of [...peers.keys()]) closePeer(id);
    note(`sfu ${pass.audio.room}`);
    sfuPass = pass;
    const mine = mic;
    const joining = joinSfu(pass, mine, iceServers, opts.myId, {
      onMix: (stream) => { mix.srcObject = stream; mix.play().catch(() => undefined); mixLevel = meter(stream); applyAudio(); },
      onShare: (userId, stream) => { if (stream) sfuShares.set(userId, stream); else sfuShares.delete(userId); renderTile(); },
      onLost: (why) => { note(`sfu lost: ${why}`); if (sfu) { sfu = null; toast('The connection to the voice chat ended.', 'error'); } },
      onTalking: (pid, talking) => {
        const id = participants.get(pid);
        if (id && talking) sfuTalking.add(id);
        else if (id) sfuTalking.delete(id);
      },
      serverMuted: () => !!me()?.server_muted,
    }).then(async (call) => {
      if (sfuJoining !== joining || mic !== mine) return call.close();  // left, or another pass came meanwhile
      sfu = call;
      call.setMuted(!!me()?.server_muted).catch(() => undefined);  // voice_state may have changed meanwhile
      if (myShare) await call.publish(myShare.stream);
    }).catch((err) => {
      if (sfuJoining === joining) toast(`Cannot reach the media server: ${(err as Error).message}`, 'error');
    }).finally(() => { if (sfuJoining === joining) sfuJoining = null; render(); });
    sfuJoining = joining;
  }
  function leaveSfu() {
    sfuJoining = null;
    sfuPass = null;
    sfu?.close();
    sfu = null;
    sfuTalking.clear();
    mix.srcObject = null;
    mixLevel = () => 0;
    sfuShares.clear();
  }

  // ---- microphone, mute, push-to-talk, deafen, volumes
  function applyMic() {
    const allowed = !muted && !me()?.server_muted && (!ptt.checked || pttHeld);
    for (const t of mic?.getAudioTracks() ?? []) t.enabled = allowed;
  }
  function applyAudio() {
    mix.muted = deafened;
    for (const [id, p] of peers) {
      const m = members.find((x) => x.user.id === id);
      p.audio.muted = deafened || !!m?.server_muted;  // a server-muted member is not played
      p.audio.volume = volumes.get(id) ?? 1;
    }
  }
  async function setMuted(v: boolean) {
    muted = v;
    applyMic();
    render();
    try { await api(`/api/parties/${partyId}/call/me/`, { method: 'PATCH', body: { muted: v } }); } catch (err) { toastError(err); }
  }
  async function setDeafened(v: boolean) {
    deafened = v;
    applyAudio();
    render();
    try { await api(`/api/parties/${partyId}/call/me/`, { method: 'PATCH', body: { deafened: v } }); } catch (err) { toastError(err); }
  }
  async function serverMute(m: Member) {
    try { await api(`/api/parties/${partyId}/call/members/${m.user.id}/server-mute/`, { method: 'POST', body: { muted: !m.server_muted } }); } catch (err) { toastError(err); }
  }
  const typing = (e: KeyboardEvent) => e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  const onKeyDown = (e: KeyboardEvent) => { if (ptt.checked && e.key.toLowerCase() === PTT_KEY && !typing(e) && !pttHeld) { pttHeld = true; applyMic(); } };
  const onKeyUp = (e: KeyboardEvent) => { if (e.key.toLowerCase() === PTT_KEY && pttHeld) { pttHeld = false; applyMic(); } };
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('keyup', onKeyUp);
  ptt.addEventListener('change', applyMic);

  // ---- who is speaking (audio level), and ducking the film
  // The loudest 10 ms of the last ~85 ms: the window and a short sound together outlast the tick, so a
  // syllable between two reads is still seen, and one loud instant is not averaged away.
  function meter(stream: MediaStream): () => number {
    audioCtx ??= new AudioContext();
    const analyser = audioCtx.createAnalyser();
    analyser.fftSize = 4096;
    audioCtx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const block = Math.max(1, Math.round(audioCtx.sampleRate / 100));
    return () => {
      analyser.getFloatTimeDomainData(buf);
      let loudest = 0;
      for (let start = 0; start + block <= buf.length; start += block) {
        let sum = 0;
        for (let i = start; i < start + block; i++) sum += buf[i] * buf[i];
        loudest = Math.max(loudest, sum / block);
      }
      return Math.sqrt(loudest);
    };
  }
  function unduck() {
    if (ducked !== null) { opts.video.volume = ducked; ducked = null; }
  }
  const levelTimer = window.setInterval(() => {
    if (!inCall) return;
    audioCtx?.state === 'suspended' && audioCtx.resume().catch(() => undefined);
    const t = performance.now();
    const mineOn = mic?.getAudioTracks().some((tr) => tr.enabled);
    if (mineOn && micLevel() > SPEAKING_LEVEL) lastLoud.set(opts.myId, t);
    for (const [id, p] of peers) if (!p.audio.muted && p.level() > SPEAKING_LEVEL) lastLoud.set(id, t);
    // Through Janus the room is one mix: who speaks is not known, only that someone does.
    if (!mix.muted && mixLevel() > SPEAKING_LEVEL) lastLoud.set(MIX, t);
    const now = new Set<string>();
    if (sfu) for (const id of sfuTalking) if (!members.find((y) => y.user.id === id)?.server_muted) now.add(id);
    for (const [id, at] of lastLoud) {
      if (t - at < SPEAKING_HOLD_MS && (id === opts.myId ? mineOn : id === MIX ? !!sfu : peers.has(id) && !peers.get(id)!.audio.muted)) now.add(id);
      else lastLoud.delete(id);
    }
    const othersSpeak = [...now].some((id) => id !== opts.myId);
    if (duck.checked && othersSpeak && ducked === null) { ducked = opts.video.volume; opts.video.volume = ducked * DUCKED; }
    else if ((!othersSpeak || !duck.checked) && ducked !== null) unduck();
    const changed = now.size !== speaking.size || [...now].some((id) => !speaking.has(id));
    if (!changed) return;
    speaking.clear();
    for (const id of now) speaking.add(id);
    for (const li of list.querySelectorAll<HTMLElement>('li.voice-member'))
      li.classList.toggle('speaking', speaking.has(li.dataset.userId!));
  }, LEVEL_TICK_MS);

  // ---- screen share
  function shareKind(track: MediaStreamTrack): string {
    const surface = (track.getSettings() as any).displaySurface;
    return surface === 'window' ? 'window' : surface === 'browser' ? 'tab' : 'screen';
  }
  async function startShare() {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      toast(`Screen share cancelled: ${(err as Error).message}`, 'error');
      return;
    }
    const track = stream.getVideoTracks()[0];
    try {
      const share = await api<Share>(`/api/parties/${partyId}/call/shares/`, { method: 'POST', body: { kind: shareKind(track) } });
      myShare = { id: share.id, stream };
    } catch (err) {
      for (const t of stream.getTracks()) t.stop();
      toastError(err);
      return;
    }
    track.addEventListener('ended', () => { if (myShare?.stream === stream) stopShare(myShare.id); });
    for (const p of peers.values()) p.shareSender = p.pc.addTrack(track, stream);
    sfu?.publish(stream).catch((err) => toast(`The share did not reach the media server: ${(err as Error).message}`, 'error'));
    render();
  }
  async function stopShare(id: string) {
    if (myShare?.id === id) endMyShare();
    render();
    try { await api(`/api/parties/${partyId}/call/shares/${id}/stop/`, { method: 'POST' }); } catch (err) { toastError(err); }
  }
  function endMyShare() {
    if (!myShare) return;
    for (const t of myShare.stream.getTracks()) t.stop();
    for (const p of peers.values()) {
      if (p.shareSender) p.pc.removeTrack(p.shareSender);
      p.shareSender = null;
    }
    sfu?.unpublish().catch(() => undefined);
    myShare = null;
  }

  // One at a time, in the order received: a candidate must not overtake its description.
  function signal(m: any) { signals = signals.then(() => onSignal(m)); }

  // ---- from room.ts
  function onMessage(m: any) {
    if (m.type === 'voice_state') return applyState(m.members, m.version, m.mode);
    if (m.type === 'screen_share_state') {
      if (m.version < version) return;
      shares = m.shares;
      // Stopped by the host: stop sending too.
      if (myShare && !shares.some((s) => s.id === myShare!.id)) endMyShare();
      return render();
    }
    if (m.type === 'call_sfu') {
      // The call moved to Janus (or Janus restarted and the call has new rooms).
      if (inCall) enterSfu(m.sfu);
      return render();
    }
    if (m.type === 'call_ended') {
      if (inCall) teardown();
      const why: Record<string, string> = {
        party_ended: 'The party ended.',
        sfu_lost: 'The voice chat lost its media server.',
        blocked: 'You left the voice chat: someone in it and you have blocked each other.',
      };
      toast(why[m.reason] ?? 'The voice chat ended.', 'info');
      return render();
    }
    if (m.type === 'rtc_offer' || m.type === 'rtc_answer' || m.type === 'rtc_ice') {
      if (early) early.push(m);
      else signal(m);
    }
  }

  // The socket (re)opened: the server let us go when our last socket closed, so start over from its state.
  async function load() {
    if (inCall) teardown();
    try {
      const c = await api<any>(`/api/parties/${partyId}/call/`);
      version = -1;
      shares = c.shares;
      applyState(c.members, c.version, c.mode);
    } catch { /* the room shows the socket's own errors */ }
  }

  // Read-only hook for the browser tests: the peer connections and their stats.
  (window as any).__wpCall = {
    get inCall() { return inCall; },
    peers: () => {
      const list = [...peers.values()].map((p) => ({ id: p.id, state: p.pc.connectionState, pc: p.pc, hasVideo: !!p.video }));
      const pc = sfu?.pc();
      if (pc) list.push({ id: 'sfu', state: pc.connectionState, pc, hasVideo: sfuShares.size > 0 });
      return list;
    },
    get mode() { return sfu ? 'sfu' : 'mesh'; },
    get speaking() { return [...speaking]; },
    get sfuRoom() { return sfuPass?.audio.room ?? null; },  // the AudioBridge room, for the tests' own Janus queries
    get trace() { return [...trace]; },
  };

  render();
  return {
    el,
    tile,
    onMessage,
    load,
    setRole(r: string) { role = r; render(); },
    dispose() {
      teardown();
      clearInterval(levelTimer);
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
      audioCtx?.close().catch(() => undefined);
      delete (window as any).__wpCall;
    },
  };
}
