// Voice chat and screen share in the room (issue #17), with real WebRTC in Chromium and
// fake media devices: two pages in one party join the voice chat from the voice bar; the
// server relays their offers, answers and candidates; each page's RTCPeerConnection reaches
// `connected` and receives audio (inbound-rtp bytesReceived grows). The host shares a
// "screen" (getDisplayMedia answered by a canvas capture stream, as headless has no screen):
// the guest's share tile shows it, with video frames arriving. Playback sync goes on: both
// rooms stay connected, with no page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, apiLoggedIn, makeClip, serveFile, rest, registerUser, tmpDir, problems, waitRoomReady, screenshot as shot } from './lib.mjs';

let server, browser, files;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
  files = await serveFile(makeClip(tmpDir(), 10));
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await files?.close();
});

// headless Chromium has no screen to pick: the page's getDisplayMedia answers with a moving canvas.
function fakeScreen() {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const g = canvas.getContext('2d');
    let n = 0;
    setInterval(() => {
      g.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`;
      g.fillRect(0, 0, 320, 180);
      g.fillStyle = '#fff';
      g.fillText(String(n), 20, 90);
    }, 50);
    return canvas.captureStream(20);
  };
}

// The bytes received so far on this page's inbound RTP streams of one kind, over all its connections.
const bytesIn = (page, kind) => page.evaluate(async (k) => {
  let total = 0;
  for (const p of window.__wpCall.peers()) {
    const stats = await p.pc.getStats();
    stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === k) total += s.bytesReceived || 0; });
  }
  return total;
}, kind);

async function grows(page, kind, label) {
  const first = await bytesIn(page, kind);
  await page.waitForTimeout(1500);
  const second = await bytesIn(page, kind);
  assert.ok(second > first && second > 0, `${label}: inbound ${kind} bytes ${first} -> ${second}`);
}

test('voice chat connects two pages through our signaling, and a screen share reaches the other page', async () => {
  const host = await registerUser(server.url, 'vera');
  const guest = await registerUser(server.url, 'otto');
  const created = await rest(server.url, '/api/parties/', { method: 'POST', token: host.token, body: { title: 'Voice night', media_url: files.url } });
  const partyId = created.data.id;
  assert.equal((await rest(server.url, `/api/parties/${partyId}/join/`, { method: 'POST', token: guest.token })).status, 200);
  const H = await apiLoggedIn(browser.browser, server.url, host);
  const G = await apiLoggedIn(browser.browser, server.url, guest);
  for (const X of [H, G]) {
    await X.context.grantPermissions(['microphone', 'camera']);
    await X.page.addInitScript(fakeScreen);
  }
  const [a, b] = [H.page, G.page];
  await a.goto(`/parties/${partyId}`);
  await b.goto(`/parties/${partyId}`);
  await waitRoomReady(a);
  await waitRoomReady(b);

  await a.click('#voice-join');
  await a.waitForSelector('#voice-join:has-text("Leave voice")');
  await b.click('#voice-join');
  for (const [p, name] of [[a, 'host'], [b, 'guest']]) {
    await p.waitForFunction(() => {
      const peers = window.__wpCall?.peers() ?? [];
      return peers.length === 1 && peers[0].state === 'connected';
    }, null, { timeout: 20000 }).catch(async (e) => {
      const st = async (q) => q.evaluate(() => ({ me: window.__wp.role, trace: window.__wpCall?.trace,
        peers: window.__wpCall?.peers().map((x) => ({ id: x.id, state: x.state, signaling: x.pc.signalingState, ice: x.pc.iceConnectionState })) }));
      throw new Error(`${name}: no connected peer: host ${JSON.stringify(await st(a))} guest ${JSON.stringify(await st(b))}`, { cause: e });
    });
    await p.waitForSelector('#voice-members li.voice-member >> nth=1');
  }
  await grows(a, 'audio', 'host hears the guest');
  await grows(b, 'audio', 'guest hears the host');
  // the fake microphone beeps: the host's page sees the guest speak, and lowers the film meanwhile
  // (generous: a loaded machine runs the level meter late)
  await a.waitForFunction((id) => window.__wpCall.speaking.includes(id) && window.__wp.video.volume < 1, guest.id,
    { timeout: 40000, polling: 20 });
  // the guest mutes: the host's page stops showing them as speaking and brings the film back up
  await b.click('#voice-mute');
  await a.waitForFunction((id) => !window.__wpCall.speaking.includes(id) && window.__wp.video.volume === 1, guest.id,
    { timeout: 20000 });

  // the host shares a screen: the guest's tile shows it, frames arriving
  await a.click('#share-screen');
  await a.waitForSelector('#share-screen:has-text("Stop sharing")');
  await b.waitForSelector('#share-tile:not([hidden])', { timeout: 20000 });
  await b.waitForFunction(() => {
    const v = document.querySelector('#share-video');
    return v && v.videoWidth === 320 && v.readyState >= 2;
  }, null, { timeout: 20000 });
  assert.equal(await b.textContent('#share-label'), `${host.username} is sharing a screen`);
  await grows(b, 'video', 'guest receives the share');
  await shot(b, 'call-share');

  // the share ends: the tile goes away; the call stays up
  await a.click('#share-screen');
  await b.waitForSelector('#share-tile', { state: 'hidden' });
  const shares = await rest(server.url, `/api/parties/${partyId}/call/shares/`, { token: guest.token });
  assert.equal(shares.data.count, 1);
  assert.ok(shares.data.results[0].ended_at);

  // leaving: the other page closes its connection
  await b.click('#voice-join');
  await a.waitForFunction(() => window.__wpCall.peers().length === 0);
  for (const p of [a, b]) assert.equal(await p.evaluate(() => window.__wp.connected), true, 'the party socket stays up');
  assert.deepEqual(problems(a), [], 'host page problems');
  assert.deepEqual(problems(b), [], 'guest page problems');
  await H.context.close();
  await G.context.close();
});
