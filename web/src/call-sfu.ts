// A call beyond the mesh (issue #17): the page talks to Janus directly with the
// member's passes (docs/realtime.md, "Beyond the mesh"). Voice goes through the
// AudioBridge room: the microphone up, the room's mix down (one stream for
// everyone). Screen shares go through the VideoRoom room: every member joins it as
// a publisher (to hear of the others' feeds), the sharer publishes its track, and
// each member subscribes to the feeds of the others. The AudioBridge room tells
// who is talking (by participant id; voice_state maps the ids to members), and
// the page mutes itself there while a moderator has it server-muted (the server
// mutes it there too). call.ts decides when to use this and keeps the UI;
// nothing here touches playback.
import { JanusHandle, JanusSession } from './janus';

export interface SfuTicket { room: number; token: string; participant_id: number }
export interface SfuPass { url: string; audio: SfuTicket; video: SfuTicket }

export interface SfuCallbacks {
  onMix: (stream: MediaStream) => void;        // the room's mixed audio
  onShare: (userId: string, stream: MediaStream | null) => void;  // a member's share appeared or ended
  onLost: (why: string) => void;               // Janus dropped us (token revoked, restarted)
  onTalking: (participantId: number, talking: boolean) => void;  // Janus's audio level events
  serverMuted: () => boolean;                  // join the mix muted while a moderator mutes us
}

export interface SfuCall {
  pc: () => RTCPeerConnection | null;           // the voice connection, for stats
  publish: (stream: MediaStream) => Promise<void>;
  unpublish: () => Promise<void>;
  setMuted: (muted: boolean) => Promise<void>;  // in the mix ("configure"), as voice_state says
  close: () => void;
}

// `myId` is the display name in both rooms: the others map a VideoRoom feed to its member by it.
export async function joinSfu(pass: SfuPass, mic: MediaStream, iceServers: RTCIceServer[], myId: string,
                              cb: SfuCallbacks): Promise<SfuCall> {
  const display = myId;
  const voice = new JanusSession(pass.url, pass.audio.token);
  const video = new JanusSession(pass.url, pass.video.token);
  let closed = false;
  const lost = (why: string) => { if (!closed) { close(); cb.onLost(why); } };
  voice.onLost = lost;
  video.onLost = lost;
  const subscribers = new Map<number, JanusHandle>();
  const owners = new Map<number, string>();  // feed -> user id (its display)
  let publisher: JanusHandle | null = null;
  let sharePc: RTCPeerConnection | null = null;

  function close() {
    closed = true;
    voice.destroy();
    video.destroy();
    for (const feed of subscribers.keys()) cb.onShare(owners.get(feed) ?? '', null);
    subscribers.clear();
  }

  // ---- voice: join, then offer the microphone with "configure"
  await voice.create();
  const bridge = await voice.attach('janus.plugin.audiobridge');
  await bridge.send({ request: 'join', room: pass.audio.room, id: pass.audio.participant_id, token: pass.audio.token, display });
  const pc = bridge.peer(iceServers);
  for (const t of mic.getAudioTracks()) pc.addTrack(t, mic);
  pc.ontrack = ({ track, streams }) => cb.onMix(streams[0] ?? new MediaStream([track]));
  await pc.setLocalDescription(await pc.createOffer());
  let muted = cb.serverMuted();
  const configured = await bridge.send({ request: 'configure', muted }, pc.localDescription!.toJSON());
  if (configured.jsep) await pc.setRemoteDescription(configured.jsep);
  bridge.onHangup = (why) => lost(`voice hung up: ${why}`);
  // Janus tells changes only: someone talking before we came, or through a mute (Janus keeps its
  // last verdict while it drops their audio), is read from the room's list, whenever someone joins,
  // is muted or unmuted; a muted participant counts as silent.
  const refreshTalking = () => bridge.send({ request: 'listparticipants', room: pass.audio.room }).then((a) => {
    for (const p of a.data.participants ?? []) cb.onTalking(p.id, !!p.talking && !p.muted);
  }).catch(() => undefined);
  bridge.onEvent = (data) => {
    if (data.audiobridge === 'talking' || data.audiobridge === 'stopped-talking')
      return cb.onTalking(data.id, data.audiobridge === 'talking');
    for (const p of data.participants ?? []) if (p.muted) cb.onTalking(p.id, false);
    if (data.participants) refreshTalking();
    if (data.leaving !== undefined) cb.onTalking(data.leaving, false);
  };
  refreshTalking();

  // ---- shares: a publisher handle for the room's news, a subscriber per feed
  await video.create();
  publisher = await video.attach('janus.plugin.videoroom');
  const feeds = (list: any[] | undefined) => {
    for (const p of list ?? []) {
      if (p.id === pass.video.participant_id) continue;
      owners.set(p.id, String(p.display ?? ''));
      subscribe(p.id).catch((e) => console.warn('subscribe failed', e));
    }
  };
  publisher.onEvent = (data) => {
    feeds(data.publishers);
    const gone = data.unpublished ?? data.leaving;
    if (gone !== undefined && subscribers.has(gone)) {
      subscribers.get(gone)!.close();
      subscribers.delete(gone);
      cb.onShare(owners.get(gone) ?? '', null);
    }
  };
  const joined = await publisher.send({ request: 'join', ptype: 'publisher', room: pass.video.room,
    id: pass.video.participant_id, token: pass.video.token, display });
  feeds(joined.data.publishers);

  async function subscribe(feed: number) {
    if (subscribers.has(feed) || closed) return;
    const h = await video.attach('janus.plugin.videoroom');
    subscribers.set(feed, h);
    const offer = await h.send({ request: 'join', ptype: 'subscriber', room: pass.video.room, token: pass.video.token,
      streams: [{ feed }] });
    const spc = h.peer(iceServers);
    spc.ontrack = ({ track, streams }) => cb.onShare(owners.get(feed) ?? '', streams[0] ?? new MediaStream([track]));
    await spc.setRemoteDescription(offer.jsep!);
    await spc.setLocalDescription(await spc.createAnswer());
    await h.send({ request: 'start' }, spc.localDescription!.toJSON());
  }

  return {
    pc: () => (closed ? null : pc),
    async publish(stream: MediaStream) {
      sharePc = publisher!.peer(iceServers);
      for (const t of stream.getVideoTracks()) sharePc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      await sharePc.setLocalDescription(await sharePc.createOffer());
      const answer = await publisher!.send({ request: 'publish' }, sharePc.localDescription!.toJSON());
      if (answer.jsep) await sharePc.setRemoteDescription(answer.jsep);
    },
    async setMuted(m: boolean) {
      if (m === muted || closed) return;
      muted = m;
      await bridge.send({ request: 'configure', muted: m }).catch((e) => { muted = !m; throw e; });
    },
    async unpublish() {
      if (!sharePc) return;
      sharePc.close();
      sharePc = null;
      await publisher!.send({ request: 'unpublish' }).catch(() => undefined);
    },
    close,
  };
}
