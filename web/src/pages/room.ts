import { badgeList, type Badge } from '../badges';
import { api, me, token, refresh, ApiError } from '../api';
import { showBroadcast } from '../broadcast-banner';
import { h, clear, errorText, fmtTime, toast } from '../ui';
import { link, navigate } from '../nav';
import { attachSource, isHlsUrl, videoSource } from '../player';
import { Clock, PlaybackSync, clientNow } from '../sync';
import type { Party } from './parties';
import { isPending, waitForApproval, showDeclined, requestState, JoinRequest } from './approval';
import type { Cleanup } from '../main';
import { roomTools } from './room-tools';
import { pollPanel } from './room-polls';
import { callBar } from '../call';
import { reportButton } from '../report-dialog';  // moderation (#19)
import { applyTheme, cosmeticsOf, myPackEmoji } from '../cosmetics';

interface Participant {
  user: { id: string; username: string };
  role: 'host' | 'moderator' | 'participant';
  is_muted?: boolean;
  online?: boolean;
  joined_at?: string;
}

interface ChatMessage {
  id: string;
  user: { id: string; username: string } | null;
  content: string;
  sent_at: string;
  message_type?: string;
  badges?: Badge[];  // store (#18): the author's equipped badges, on live messages
}

const EMOJIS = ['👍', '😂', '😮', '❤️', '🎉', '👏'];
const svg = (d: string) => `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="${d}"/></svg>`;
const ICON = {
  play: svg('M7 4v16l13-8z'),
  pause: svg('M6 4h4v16H6zM14 4h4v16h-4z'),
  back: svg('M11 6v12l-8.5-6zM20 6v12l-8.5-6z'),
  fwd: svg('M13 6v12l8.5-6zM4 6v12l8.5-6z'),
};
function icon(el: HTMLElement, name: keyof typeof ICON) {
  if (el.dataset.icon !== name) { el.innerHTML = ICON[name]; el.dataset.icon = name; }
}
const CONN_TEXT: Record<string, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};
const CLOSE_TEXT: Record<number, string> = {
  4001: 'Your session expired. Log in again.',
  4003: 'You are not allowed in this party (kicked, banned, full, private or ended).',
  4004: 'This party does not exist.',
};

function canControl(settings: Record<string, any>, role: string): [boolean, string] {
  const c = settings?.control || 'host_only';
  if (c === 'everyone') return [true, ''];
  if (c === 'moderators') return role === 'host' || role === 'moderator' ? [true, ''] : [false, 'Only the host and moderators control playback in this party.'];
  return role === 'host' ? [true, ''] : [false, 'Only the host controls playback in this party.'];
}

export async function roomPage(root: HTMLElement, [partyId]: string[]): Promise<Cleanup> {
  let party: Party;
  try {
    party = await api<Party>(`/api/parties/${partyId}/`);
  } catch (e) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Party unavailable'), h('p', { class: 'error' }, errorText(e)), link('/', 'Back to the parties')));
    return;
  }
  if (party.settings?.require_approval) {
    // Ask over REST first: a pending user's socket would only be refused (4003). A declined
    // request is told here; any other failed join (banned, ended) is left for the socket to
    // report, as on any other party.
    const label = `“${party.title}”`;
    const joined = await api<Party | JoinRequest>(`/api/parties/${partyId}/join/`, { method: 'POST' }).catch(async (e) => {
      if (!(e instanceof ApiError) || e.status !== 403) return null;
      return (await requestState(partyId).catch(() => null))?.status === 'rejected' ? 'declined' as const : null;
    });
    if (joined === 'declined') {
      showDeclined(root, label);
      return;
    }
    if (isPending(joined)) {
      let inner: Cleanup;
      const stop = waitForApproval(root, {
        label,
        request: joined,
        enter: () => api<Party>(`/api/parties/${partyId}/`),
        withdraw: () => api(`/api/parties/${partyId}/leave/`, { method: 'POST' }),
        onAdmitted: (p) => { clear(root); inner = enterRoom(root, partyId, p); },
      });
      return () => { stop(); if (typeof inner === 'function') inner(); };
    }
    if (joined) party = joined;
  }
  return enterRoom(root, partyId, party);
}

function enterRoom(root: HTMLElement, partyId: string, party: Party): Cleanup {
  const self = me()!;

  // ---- state
  let myRole = 'participant';
  const participants = new Map<string, Participant>();
  // The server's counts while its list is cut (null: the list is everyone, count it).
  let counts: { online: number; total: number } | null = null;
  const typing = new Map<string, { name: string; until: number }>();
  let lastMessageId: string | null = null;
  const seenMessages = new Set<string>();
  let oldestMessageId: string | null = null;
  let slowUntil = 0;
  let disposed = false;

  // ---- elements
  const video = h('video', { playsinline: true, preload: 'auto', class: 'player', id: 'party-video', tabindex: '-1' });
  const floatLayer = h('div', { class: 'float-layer', 'aria-hidden': 'true' });
  const overlay = h('div', { class: 'overlay', hidden: true, role: 'status' });
  const waitBox = h('div', { class: 'overlay waitbox', hidden: true, role: 'status', id: 'waiting' }, 'Waiting for everyone to buffer…');
  const startBtn = h('button', { class: 'primary overlay-btn', hidden: true, id: 'start-playback' }, 'Click to start playback');
  const stage = h('div', { class: 'stage' }, video, floatLayer, overlay, waitBox, startBtn);

  const playBtn = h('button', { id: 'btn-play', class: 'icon', 'aria-label': 'Play', title: 'Play / pause (k)' });
  icon(playBtn, 'play');
  const seek = h('input', { type: 'range', id: 'seek', min: '0', max: '100', step: '0.1', value: '0', 'aria-label': 'Seek' });
  const timeLabel = h('span', { class: 'time', id: 'time' }, '0:00 / 0:00');
  const rateSel = h('select', { id: 'rate', 'aria-label': 'Playback rate' }, ...[0.5, 0.75, 1, 1.25, 1.5, 2].map((r) => h('option', { value: String(r), selected: r === 1 }, `${r}×`)));
  const back10 = h('button', { id: 'btn-back', class: 'icon', 'aria-label': 'Back 10 seconds', title: 'Back 10 s (j)' });
  const fwd10 = h('button', { id: 'btn-fwd', class: 'icon', 'aria-label': 'Forward 10 seconds', title: 'Forward 10 s (l)' });
  icon(back10, 'back');
  icon(fwd10, 'fwd');
  const volume = h('input', { type: 'range', min: '0', max: '1', step: '0.05', value: '1', 'aria-label': 'Volume', class: 'volume' });
  const controlNote = h('p', { class: 'muted small', id: 'control-note' });
  const keysHint = h('p', { class: 'muted small', id: 'keys-hint' }, 'Keys: k or Space play / pause · j / l back / forward 10 s');
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': 'Playback controls' }, back10, playBtn, fwd10, seek, timeLabel, rateSel, volume);

  const connBadge = h('span', { class: 'conn connecting', id: 'conn-state', role: 'status' }, 'Connecting…');
  const syncBadge = h('span', { class: 'sync', id: 'sync-indicator', title: 'Offset of your player from the party position' }, 'sync: –');
  const statusLine = h('div', { class: 'statusline' }, connBadge, syncBadge);

  const reactBar = h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' },
    ...EMOJIS.map((e) => h('button', { class: 'emoji', 'aria-label': `React ${e}`, onclick: () => sendReaction(e) }, e)));

  const partList = h('ul', { class: 'participants', id: 'participants' });
  // A big room's party_state lists its first 100 people (docs/realtime.md): the rest on request.
  const everyoneBtn = h('button', { class: 'small', id: 'people-all', hidden: true, onclick: () => loadEveryone() }, 'Show everyone') as HTMLButtonElement;
  const chatLog = h('ol', { class: 'chat-log', id: 'chat-log', 'aria-live': 'polite', tabindex: '0', 'aria-label': 'Chat messages' });
  const olderBtn = h('button', { class: 'link small', id: 'chat-older' }, 'Load older messages');
  const typingLine = h('div', { class: 'typing muted small', id: 'typing', 'aria-live': 'polite' });
  const chatInput = h('input', { id: 'chat-input', maxLength: 1000, placeholder: 'Say something…', autocomplete: 'off', 'aria-label': 'Chat message' });
  const chatSend = h('button', { type: 'submit', class: 'primary', id: 'chat-send' }, 'Send');
  const slowNote = h('div', { class: 'muted small', id: 'slow-note' });
  const chatForm = h('form', { class: 'chat-form' }, chatInput, chatSend);

  const inviteUrl = `${location.origin}/join/${party.room_code}`;
  const endBtn = h('button', { class: 'small danger', id: 'end-party', hidden: true, onclick: endParty }, 'End party');
  const titleEl = h('h1', { class: 'room-title' }, party.title);
  const header = h('div', { class: 'room-head' },
    h('div', null, titleEl, h('div', { class: 'muted small' }, `hosted by ${party.host.username} · `, h('span', { id: 'party-status' }, party.status),
      ' ', reportButton('party', party.id, 'party', party.host.id))),
    h('div', { class: 'invite' },
      h('span', null, 'Room code '), h('code', { id: 'room-code' }, party.room_code),
      h('button', { class: 'small', id: 'copy-link', onclick: () => copy(inviteUrl, 'Invite link copied') }, 'Copy invite link'),
      h('button', { class: 'small', id: 'leave', onclick: leave }, 'Leave'),
      endBtn),
  );

  const tools = roomTools(partyId, party);
  const polls = pollPanel(partyId);  // issue #17
  const call = callBar(partyId, { myId: me()?.id ?? '', send, video });  // issue #17: voice chat, screen share
  const requests = new Map<string, JoinRequest>();
  const reqList = h('ul', { id: 'join-request-list' });
  const reqBox = h('section', { class: 'card tight join-requests', id: 'join-requests', hidden: true, 'aria-labelledby': 'join-requests-title' },
    h('h2', { id: 'join-requests-title' }, 'Asking to join ', h('span', { class: 'muted', id: 'join-request-count' })), reqList);

  const sidebar = h('aside', { class: 'sidebar' },
    h('section', { class: 'card tight' }, h('h2', null, 'People ', h('span', { class: 'muted', id: 'people-count' })), partList, everyoneBtn),
    h('section', { class: 'card tight chat' }, h('h2', null, 'Chat'), olderBtn, chatLog, typingLine, slowNote, chatForm),
    polls.el,
    tools.el,
  );
  const roomEl = h('div', { class: 'room' }, header, tools.banner, reqBox, h('div', { class: 'room-body' },
    h('div', { class: 'room-main' }, h('div', { class: 'stage-row' }, stage, call.tile), controls, controlNote, statusLine, reactBar,
      call.el, keysHint), sidebar));
  root.append(roomEl);
  // store (#18): the host's party theme for everyone here (fetched once), my emoji packs in the picker.
  cosmeticsOf(party.host.id).then((c) => { if (!disposed) applyTheme(roomEl, c?.party_theme ?? null); });
  myPackEmoji().then((extra) => {
    if (disposed) return;
    for (const e of extra.filter((x) => !EMOJIS.includes(x)))
      reactBar.append(h('button', { class: 'emoji pack-emoji', 'aria-label': `React ${e}`, onclick: () => sendReaction(e) }, e));
  });

  // ---- player source
  let detach: (() => void) | null = null;
  async function loadSource() {
    detach?.();
    detach = null;
    try {
      let src = null;
      if (party.video?.id) {
        const v = await api<any>(`/api/videos/${party.video.id}/`);
        src = videoSource(v);
        if (!src) { showOverlay(`The video is ${v.status}…`); setTimeout(() => !disposed && loadSource(), 3000); return; }
      } else if (party.media_url) src = { url: party.media_url, hls: isHlsUrl(party.media_url) };
      if (!src) { showOverlay('This party has no video.'); return; }
      detach = (await attachSource(video, src)).detach;
    } catch (e) {
      showOverlay(`Cannot load the video: ${errorText(e)}`);
    }
  }
  function showOverlay(text: string | null) {
    overlay.hidden = !text;
    overlay.textContent = text || '';
  }

  // ---- sync
  const clock = new Clock();
  const sync = new PlaybackSync(video, clock);
  sync.onBuffering = (pos) => send({ type: 'buffering', position: pos });
  sync.onReady = (pos) => send({ type: 'ready', position: pos });
  sync.onBlocked = (b) => { startBtn.hidden = !b; };
  startBtn.addEventListener('click', () => { video.muted = false; sync.unblock(); });
  sync.onChange = renderSyncIndicator;
  video.addEventListener('loadedmetadata', () => { seek.max = String(video.duration || 0); sync.tick(); });
  video.addEventListener('error', () => showOverlay('The video cannot be played in this browser.'));

  let lastIndicator = 0;
  function renderSyncIndicator() {
    const t = clientNow();
    if (t - lastIndicator < 200) return;
    lastIndicator = t;
    const p = sync.playback;
    const s = sync.stats;
    const off = Math.round(s.driftMs);
    let text: string;
    let cls = 'good';
    if (!p || s.mode === 'idle') { text = 'sync: –'; cls = ''; }
    else if (s.mode === 'waiting') { text = 'waiting for buffering…'; cls = 'warn'; }
    else if (s.mode === 'scheduled') { text = 'starting…'; }
    else if (s.mode === 'blocked') { text = 'click to start'; cls = 'warn'; }
    else if (s.mode === 'ended') { text = 'ended'; cls = ''; }
    else {
      text = `${s.mode === 'paused' ? 'paused' : 'in sync'} ${off >= 0 ? '+' : ''}${off} ms`;
      if (Math.abs(off) > 100) cls = 'warn';
      if (s.mode === 'seeking') { text = 'catching up…'; cls = 'warn'; }
      else if (s.mode === 'nudging') text = `adjusting ${off >= 0 ? '+' : ''}${off} ms`;
    }
    syncBadge.textContent = text;
    syncBadge.className = `sync ${cls}`;
    syncBadge.title = `Offset from the party: ${off} ms · clock offset ${Math.round(clock.offsetMs)} ms, RTT ${isNaN(clock.rttMs) ? '–' : clock.rttMs.toFixed(1)} ms · corrections: ${s.nudges} rate, ${s.seeks} seek`;
    waitBox.hidden = p?.status !== 'waiting';
  }

  // UI refresh of the controls (time, seek bar) several times a second.
  let seeking = false;
  const uiTimer = window.setInterval(() => {
    const pos = sync.playback ? sync.expectedPosition() : video.currentTime;
    const dur = video.duration || 0;
    if (!seeking) seek.value = String(Math.min(pos, dur || pos));
    timeLabel.textContent = `${fmtTime(pos)} / ${fmtTime(dur)}`;
    const playing = sync.playback?.status === 'playing';
    icon(playBtn, playing ? 'pause' : 'play');
    playBtn.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    const now = Date.now();
    const names = [...typing.values()].filter((t) => t.until > now).map((t) => t.name);
    typingLine.textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
    const wait = Math.ceil((slowUntil - now) / 1000);
    chatSend.disabled = wait > 0;
    slowNote.textContent = wait > 0 ? `Slow mode: you can send again in ${wait} s` : party.settings?.slow_mode_seconds ? `Slow mode is on: one message every ${party.settings.slow_mode_seconds} s` : '';
  }, 250);

  function applyPermissions() {
    endBtn.hidden = myRole !== 'host' || party.status === 'ended';
    const [ok, why] = canControl(party.settings, myRole);
    for (const el of [playBtn, seek, rateSel, back10, fwd10]) (el as HTMLButtonElement).disabled = !ok || party.status === 'ended';
    controlNote.textContent = party.status === 'ended' ? 'This party has ended.' : ok ? '' : why;
    keysHint.hidden = !ok || party.status === 'ended';
    const chatOff = party.settings?.chat_enabled === false;
    chatInput.disabled = chatOff || party.status === 'ended';
    chatInput.placeholder = chatOff ? 'Chat is turned off' : 'Say something…';
    const reactOff = party.settings?.reactions_enabled === false;
    reactBar.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = reactOff));
    renderParticipants();
    tools.update(party, myRole);
    polls.setRole(myRole);
  }

  function control(action: string, extra: Record<string, unknown> = {}) {
    const [ok, why] = canControl(party.settings, myRole);
    if (!ok) { toast(why, 'error'); return; }
    send({ type: 'video_control', action, ...extra, version: sync.playback?.version });
  }
  function togglePlay() {
    const p = sync.playback;
    if (!p) return;
    sync.unblock();
    if (p.status === 'playing') control('pause', { position: sync.expectedPosition() });
    else control('play', { position: p.position });
  }
  function seekTo(pos: number) {
    const d = video.duration;
    pos = Math.max(0, isFinite(d) ? Math.min(pos, d - 0.1) : pos);
    control('seek', { position: pos });
  }
  playBtn.addEventListener('click', togglePlay);
  back10.addEventListener('click', () => seekTo(sync.expectedPosition() - 10));
  fwd10.addEventListener('click', () => seekTo(sync.expectedPosition() + 10));
  seek.addEventListener('input', () => { seeking = true; });
  seek.addEventListener('change', () => { seeking = false; seekTo(Number(seek.value)); });
  rateSel.addEventListener('change', () => control('rate', { rate: Number(rateSel.value) }));
  volume.addEventListener('input', () => { video.volume = Number(volume.value); video.muted = false; });
  const onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    if (e.key === 'k' || (e.key === ' ' && t === document.body)) { e.preventDefault(); togglePlay(); }
    else if (e.key === 'j') seekTo(sync.expectedPosition() - 10);
    else if (e.key === 'l') seekTo(sync.expectedPosition() + 10);
  };
  document.addEventListener('keydown', onKey);

  // ---- participants
  function renderParticipants() {
    const list = [...participants.values()].sort((a, b) => rank(a.role) - rank(b.role) || a.user.username.localeCompare(b.user.username));
    const shown = counts ?? { online: list.filter((p) => p.online !== false).length, total: list.length };
    (root.querySelector('#people-count') as HTMLElement).textContent = `(${shown.online} online / ${shown.total})`;
    everyoneBtn.hidden = counts === null;
    // Redrawing replaces the buttons: a keyboard user keeps the focus on the same one.
    const focused = document.activeElement as HTMLElement | null;
    const slot = partList.contains(focused) ? focused!.dataset.slot : undefined;
    const userId = slot ? (focused!.closest('li') as HTMLElement | null)?.dataset.userId : undefined;
    clear(partList, list.map(participantItem));
    if (slot && userId) (partList.querySelector(`li[data-user-id="${userId}"] [data-slot="${slot}"]`) as HTMLElement | null)?.focus();
  }
  async function loadEveryone() {
    const r = await api<{ results: Participant[] }>(`/api/parties/${partyId}/participants/`);
    if (!r) return;
    for (const p of r.results) participants.set(p.user.id, p);
    counts = null;
    renderParticipants();
  }
  function rank(r: string) { return r === 'host' ? 0 : r === 'moderator' ? 1 : 2; }
  function participantItem(p: Participant) {
    const isMe = p.user.id === self.id;
    const canMod = (myRole === 'host' || myRole === 'moderator') && !isMe && p.role !== 'host';
    const actions: HTMLElement[] = [];
    if (canMod) {
      actions.push(h('button', { class: 'small', dataset: { slot: 'mute' }, onclick: () => modAction(p, p.is_muted ? 'unmute' : 'mute') }, p.is_muted ? 'Unmute' : 'Mute'));
      if (myRole === 'host') actions.push(h('button', { class: 'small', dataset: { slot: 'role' }, onclick: () => modAction(p, p.role === 'moderator' ? 'demote' : 'promote') }, p.role === 'moderator' ? 'Demote' : 'Promote'));
      actions.push(h('button', { class: 'small danger', dataset: { slot: 'kick' }, onclick: () => modAction(p, 'kick') }, 'Kick'));
    }
    return h('li', { class: `participant ${p.online === false ? 'offline' : 'online'}`, dataset: { userId: p.user.id } },
      h('span', { class: 'presence', role: 'img', title: p.online === false ? 'offline' : 'online', 'aria-label': p.online === false ? 'offline' : 'online' }),
      h('span', { class: 'pname' }, p.user.username, isMe ? ' (you)' : ''),
      p.role !== 'participant' ? h('span', { class: `badge role-${p.role}` }, p.role) : null,
      p.is_muted ? h('span', { class: 'badge muted-badge' }, 'muted') : null,
      actions.length ? h('span', { class: 'actions' }, actions) : null);
  }
  async function modAction(p: Participant, action: string) {
    try {
      const r = await api<any>(`/api/parties/${partyId}/participants/${p.user.id}/${action}/`, { method: 'POST' });
      if (action === 'kick') { participants.delete(p.user.id); toast(`${p.user.username} was removed`); }
      else if (r && r.role) participants.set(p.user.id, { ...p, ...r, user: r.user || p.user });
      renderParticipants();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  // ---- join requests (parties with require_approval), for the host and moderators
  const isMod = () => myRole === 'host' || myRole === 'moderator';
  async function loadRequests() {
    if (!isMod()) { requests.clear(); renderRequests(); return; }
    try {
      const r = await api<{ results: JoinRequest[] }>(`/api/parties/${partyId}/participants/`, { query: { status: 'pending' } });
      if (disposed) return;
      requests.clear();
      for (const q of r.results || []) requests.set(q.user.id, q);
      renderRequests();
    } catch (e) {
      toast(`Join requests: ${errorText(e)}`, 'error');
    }
  }
  function renderRequests() {
    reqBox.hidden = !isMod() || requests.size === 0;
    (reqBox.querySelector('#join-request-count') as HTMLElement).textContent = `(${requests.size})`;
    const focused = document.activeElement as HTMLElement | null;
    const slot = reqList.contains(focused) ? focused!.dataset.slot : undefined;
    const userId = slot ? (focused!.closest('li') as HTMLElement | null)?.dataset.userId : undefined;
    clear(reqList, [...requests.values()].map(requestItem));
    if (slot && userId) (reqList.querySelector(`li[data-user-id="${userId}"] [data-slot="${slot}"]`) as HTMLElement | null)?.focus();
  }
  function requestItem(q: JoinRequest) {
    const t = new Date(q.joined_at);
    return h('li', { class: 'join-request', dataset: { userId: q.user.id } },
      h('span', { class: 'pname' }, q.user.username),
      h('span', { class: 'muted small' }, isNaN(t.getTime()) ? '' : `asked at ${t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`),
      h('span', { class: 'actions' },
        h('button', { class: 'small primary', dataset: { slot: 'approve' }, 'aria-label': `Approve ${q.user.username}`, onclick: () => decide(q, 'approve') }, 'Approve'),
        h('button', { class: 'small danger', dataset: { slot: 'reject' }, 'aria-label': `Reject ${q.user.username}`, onclick: () => decide(q, 'reject') }, 'Reject')));
  }
  async function decide(q: JoinRequest, action: 'approve' | 'reject') {
    const row = reqList.querySelector(`li[data-user-id="${q.user.id}"]`);
    const hadFocus = !!row && row.contains(document.activeElement);
    row?.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = true));
    try {
      const r = await api<any>(`/api/parties/${partyId}/participants/${q.user.id}/${action}/`, { method: 'POST' });
      requests.delete(q.user.id);
      if (action === 'approve') {
        if (r?.user && !participants.has(q.user.id)) participants.set(q.user.id, { ...r, online: false });
        toast(`${q.user.username} may come in`);
        renderParticipants();
      } else {
        toast(`${q.user.username}'s request was declined`);
      }
    } catch (e) {
      // 404: withdrawn meanwhile, or another moderator decided first.
      if (e instanceof ApiError && e.status === 404) { requests.delete(q.user.id); toast(`${q.user.username} no longer asks to join`); }
      else toast(errorText(e), 'error');
    }
    renderRequests();
    // Keep a keyboard user in the list: on to the next request, else back to the chat.
    if (hadFocus) ((reqList.querySelector('[data-slot="approve"]') as HTMLElement | null) ?? chatInput).focus();
  }

  // ---- chat
  function messageItem(m: ChatMessage) {
    const mine = m.user?.id === self.id;
    const t = new Date(m.sent_at);
    return h('li', { class: `msg${mine ? ' mine' : ''}${m.message_type && m.message_type !== 'text' ? ' system' : ''}`, dataset: { id: m.id } },
      h('span', { class: 'author' }, m.user?.username ?? 'system'), badgeList(m.badges),
      h('time', { datetime: m.sent_at, class: 'muted small' }, isNaN(t.getTime()) ? '' : t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
      h('div', { class: 'content' }, m.content),
      m.user && !mine ? reportButton('party_message', m.id, `the message from ${m.user.username}`, m.user.id) : null);
  }
  function addMessages(msgs: ChatMessage[], where: 'end' | 'start' = 'end') {
    const atBottom = chatLog.scrollHeight - chatLog.scrollTop - chatLog.clientHeight < 40;
    const fresh = msgs.filter((m) => m && !seenMessages.has(m.id));
    for (const m of fresh) seenMessages.add(m.id);
    if (where === 'end') {
      for (const m of fresh) chatLog.append(messageItem(m));
      if (fresh.length) lastMessageId = fresh[fresh.length - 1].id;
      if (atBottom || fresh.some((m) => m.user?.id === self.id)) chatLog.scrollTop = chatLog.scrollHeight;
    } else {
      const first = chatLog.firstChild;
      for (const m of fresh) chatLog.insertBefore(messageItem(m), first);
    }
    if (!oldestMessageId && msgs.length) oldestMessageId = msgs[0].id;
  }
  olderBtn.addEventListener('click', async () => {
    try {
      const r = await api<any>(`/api/parties/${partyId}/chat/`, { query: { before: oldestMessageId || undefined, page_size: 50 } });
      const older: ChatMessage[] = (r.results || []).slice().reverse();
      if (older.length) oldestMessageId = older[0].id;
      addMessages(older, 'start');
      if (!r.next_before) olderBtn.hidden = true;
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });
  let typingSentAt = 0;
  let typingStop: number | undefined;
  chatInput.addEventListener('input', () => {
    const now = Date.now();
    if (now - typingSentAt > 2500) { typingSentAt = now; send({ type: 'typing', is_typing: true }); }
    clearTimeout(typingStop);
    typingStop = window.setTimeout(() => { typingSentAt = 0; send({ type: 'typing', is_typing: false }); }, 3000);
  });
  chatForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    if (Date.now() < slowUntil) return;
    if (!send({ type: 'chat_message', content: text })) { toast('Not connected: message not sent', 'error'); return; }
    chatInput.value = '';
    clearTimeout(typingStop);
    typingSentAt = 0;
    send({ type: 'typing', is_typing: false });
    const slow = Number(party.settings?.slow_mode_seconds || 0);
    if (slow > 0 && myRole === 'participant') slowUntil = Date.now() + slow * 1000;
  });

  // ---- reactions
  function sendReaction(emoji: string) {
    send({ type: 'reaction', emoji, video_timestamp: Math.max(0, sync.playback ? sync.expectedPosition() : video.currentTime) });
  }
  function floatReaction(emoji: string, who: string) {
    const el = h('span', { class: 'floater', style: { left: `${10 + Math.random() * 80}%` } }, emoji, h('small', null, who));
    floatLayer.append(el);
    setTimeout(() => el.remove(), 2600);
  }

  // ---- socket with reconnect and resume
  let ws: WebSocket | null = null;
  let attempt = 0;
  let reconnectTimer: number | undefined;
  let pingTimer: number | undefined;
  let resyncTimer: number | undefined;
  let opens = 0;

  function setConn(state: string, extra = '') {
    connBadge.className = `conn ${state}`;
    connBadge.textContent = (CONN_TEXT[state] || state) + (extra ? ` ${extra}` : '');
  }
  function send(msg: Record<string, unknown>): boolean {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }
  function ping() { send({ type: 'ping', client_time: clientNow() }); }

  async function connect() {
    if (disposed) return;
    setConn(attempt ? 'reconnecting' : 'connecting');
    const t = await token();
    if (disposed) return;
    const q = new URLSearchParams({ token: t || '' });
    if (lastMessageId) q.set('last_message_id', lastMessageId);
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const sock = new WebSocket(`${proto}://${location.host}/ws/party/${partyId}/?${q}`);
    ws = sock;
    (window as any).__wp && ((window as any).__wp.ws = sock);
    sock.onopen = () => {
      attempt = 0;
      opens++;
      setConn('open');
      // A burst of pings for a first offset, then a few every 10 s to follow drift.
      for (let i = 0; i < 6; i++) setTimeout(() => ws === sock && ping(), i * 150);
      clearInterval(pingTimer);
      pingTimer = window.setInterval(() => {
        ping(); setTimeout(ping, 100); setTimeout(ping, 200);
        // analytics (#20): the measured drift while playing, so sync quality is visible in production
        const s = sync.stats;
        if (sync.playback?.status === 'playing' && s.mode !== 'idle' && s.mode !== 'waiting' && s.mode !== 'blocked')
          send({ type: 'sync_report', drift_ms: Math.round(s.driftMs) });
      }, 10_000);
    };
    sock.onmessage = (ev) => {
      let m: any;
      try { m = JSON.parse(ev.data); } catch { return; }
      onMessage(m);
    };
    sock.onclose = async (ev) => {
      if (ws !== sock) return;
      ws = null;
      clearInterval(pingTimer);
      if (disposed) return;
      if (ev.code === 4001 && attempt < 2) {
        if (await refresh()) { attempt++; connect(); return; }
      }
      if (ev.code === 4003 && /approv/i.test(ev.reason)) {
        // Approval became required after this page loaded: the room page asks and waits.
        navigate(location.pathname, true);
        return;
      }
      if (ev.code === 4001 || ev.code === 4003 || ev.code === 4004) {
        setConn('closed');
        showOverlay(CLOSE_TEXT[ev.code]);
        toast(CLOSE_TEXT[ev.code], 'error');
        return;
      }
      const delay = Math.min(10_000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt++;
      setConn('reconnecting', `(in ${Math.ceil(delay / 1000)} s)`);
      reconnectTimer = window.setTimeout(connect, delay);
    };
  }
  // Reconnect at once when the browser comes back online.
  const onOnline = () => { if (!ws && !disposed) { clearTimeout(reconnectTimer); connect(); } };
  window.addEventListener('online', onOnline);

  function onMessage(m: any) {
    if (m.type.startsWith('poll_')) return polls.onMessage(m);
    if (m.type.startsWith('rtc_') || m.type === 'voice_state' || m.type === 'screen_share_state' || m.type === 'call_sfu' || m.type === 'call_ended') return call.onMessage(m);
    switch (m.type) {
      case 'party_state': {
        clock.seed(m.server_time);
        const prevVideo = party.video?.id ?? party.media_url;
        party = m.party;
        myRole = m.you?.role || 'participant';
        participants.clear();
        for (const p of m.participants || []) participants.set(p.user.id, p);
        counts = m.participants_complete === false ? { online: m.online_count, total: m.party.participant_count } : null;
        if (!seenMessages.size) addMessages(m.recent_messages || []);
        if (m.missed_messages) addMessages(m.missed_messages);
        else if (seenMessages.size) addMessages(m.recent_messages || []);
        if (!(m.recent_messages || []).length) olderBtn.hidden = true;
        sync.playback = null; // accept the server's state whatever its version
        sync.setPlayback(m.playback);
        rateSel.value = String(m.playback.rate);
        if ((party.video?.id ?? party.media_url) !== prevVideo || !detach) loadSource();
        applyPermissions();
        (root.querySelector('#party-status') as HTMLElement).textContent = party.status;
        loadRequests();
        polls.load();
        call.setRole(myRole);
        call.load();
        break;
      }
      case 'join_request':
        if (!isMod()) break;
        requests.set(m.user.id, { user: { id: m.user.id, username: m.user.username }, status: 'pending', joined_at: m.requested_at, party: { id: partyId, title: party.title } });
        renderRequests();
        toast(`${m.user.username} asks to join`);
        break;
      case 'pong':
        clock.add(m.client_time, m.server_time, clientNow());
        break;
      case 'playback_state':
        sync.setPlayback(m.playback);
        if (m.playback.rate) rateSel.value = String(m.playback.rate);
        break;
      case 'chat_message':
        addMessages([m.message]);
        if (m.message?.user) typing.delete(m.message.user.id);
        break;
      case 'reaction':
        floatReaction(m.reaction.emoji, m.reaction.user?.username ?? '');
        tools.onReaction(m.reaction.emoji);
        break;
      case 'typing':
        if (m.user?.id === self.id) break;
        if (m.is_typing) typing.set(m.user.id, { name: m.user.username, until: Date.now() + 5000 });
        else typing.delete(m.user.id);
        break;
      case 'user_joined': {
        if (requests.delete(m.user.id)) renderRequests();
        const old = participants.get(m.user.id);
        participants.set(m.user.id, { ...(old || {}), user: { id: m.user.id, username: m.user.username }, role: m.user.role || old?.role || 'participant', online: true });
        if (counts) counts = { online: m.online_count, total: m.participant_count };
        renderParticipants();
        break;
      }
      case 'user_left': {
        const old = participants.get(m.user.id);
        if (old) participants.set(m.user.id, { ...old, online: false });
        if (counts) counts = { online: m.online_count, total: m.participant_count };
        renderParticipants();
        break;
      }
      case 'presence_counts':  // a big room: counts instead of each join and leave
        counts = { online: m.online_count, total: m.participant_count };
        renderParticipants();
        break;
      case 'participant_updated': {
        const old = participants.get(m.user.id);
        participants.set(m.user.id, { ...(old || { online: true }), user: { id: m.user.id, username: m.user.username }, role: m.user.role, is_muted: m.user.is_muted });
        if (m.user.id === self.id) {
          if (m.user.role !== myRole) toast(`You are now ${m.user.role}`);
          myRole = m.user.role;
          applyPermissions();
          loadRequests();
        } else renderParticipants();
        break;
      }
      case 'admin_broadcast':  // admin (#19): shown once, whichever socket brings it first
        showBroadcast(m.data);
        break;
      case 'party_updated':
        party = m.party;
        titleEl.textContent = party.title;
        (root.querySelector('#party-status') as HTMLElement).textContent = party.status;
        applyPermissions();
        break;
      case 'error':
        if (m.code === 'slow_mode' || m.code === 'rate_limited') {
          const ra = Number(m.retry_after || 1);
          if (m.code === 'slow_mode') slowUntil = Date.now() + ra * 1000;
          toast(m.code === 'slow_mode' ? `Slow mode: wait ${Math.ceil(ra)} s` : `Too fast: wait ${Math.ceil(ra)} s`, 'error');
        } else if (m.code === 'stale_version') {
          send({ type: 'sync_request' });
        } else toast(m.message || m.code, 'error');
        break;
    }
  }

  async function endParty() {
    if (!confirm('End the party for everyone?')) return;
    try {
      party = await api<Party>(`/api/parties/${partyId}/end/`, { method: 'POST' });
      (root.querySelector('#party-status') as HTMLElement).textContent = party.status;
      applyPermissions();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  async function leave() {
    try { await api(`/api/parties/${partyId}/leave/`, { method: 'POST' }); } catch { /* */ }
    navigate('/');
  }
  function copy(text: string, done: string) {
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(() => toast(done), () => prompt('Copy this:', text));
    else prompt('Copy this:', text);
  }

  // Re-evaluate sync when the tab comes back (timers are throttled in background tabs).
  const onVisible = () => { if (!document.hidden) { ping(); sync.tick(); } };
  document.addEventListener('visibilitychange', onVisible);

  // ---- read-only debug hook for tests and curious users
  (window as any).__wp = {
    get offsetMs() { return clock.offsetMs; },
    get rttMs() { return clock.rttMs; },
    get playback() { return sync.playback; },
    get stats() { return { ...sync.stats }; },
    get role() { return myRole; },
    get connects() { return opens; },
    get connected() { return !!ws && ws.readyState === WebSocket.OPEN; },
    ws: null as WebSocket | null,
    video,
    serverNow: () => clock.serverNow(),
    expectedPosition: (serverMs?: number) => sync.expectedPosition(serverMs),
    /** One coherent sample: local epoch ms, estimated server ms, video position and rate. */
    sample: () => ({ clientMs: clientNow(), serverMs: clock.serverNow(), currentTime: video.currentTime, playbackRate: video.playbackRate, paused: video.paused, expected: sync.expectedPosition(), mode: sync.stats.mode }),
  };

  applyPermissions();
  sync.start();
  connect();
  resyncTimer = window.setInterval(() => { if (ws && ws.readyState === WebSocket.OPEN && !sync.playback) send({ type: 'sync_request' }); }, 5000);
  // A request withdrawn by its author sends no message: re-read the list now and then.
  const requestsTimer = window.setInterval(() => { if (requests.size) loadRequests(); }, 15_000);

  return () => {
    disposed = true;
    tools.dispose();
    call.dispose();
    sync.stop();
    clearInterval(uiTimer);
    clearInterval(pingTimer);
    clearInterval(resyncTimer);
    clearInterval(requestsTimer);
    clearTimeout(reconnectTimer);
    clearTimeout(typingStop);
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('online', onOnline);
    const s = ws;
    ws = null;
    s?.close(1000);
    detach?.();
    delete (window as any).__wp;
  };
}
