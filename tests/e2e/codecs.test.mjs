// Which codecs Debian's Chromium plays (MSE for hls.js, native <video>), written to
// tests/e2e/results/codecs.json; docs/operations.md "Browsers and codecs" summarizes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, ROOT } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const TYPES = {
  'H.264 Main 3.0 + AAC-LC (MP4)': 'video/mp4; codecs="avc1.4d401e,mp4a.40.2"',
  'H.264 Baseline 3.0 (MP4)': 'video/mp4; codecs="avc1.42e01e"',
  'H.264 High 4.0 (MP4)': 'video/mp4; codecs="avc1.640028"',
  'H.264 High 5.1 (MP4)': 'video/mp4; codecs="avc1.640033"',
  'AAC-LC (MP4 audio)': 'audio/mp4; codecs="mp4a.40.2"',
  'HE-AAC (MP4 audio)': 'audio/mp4; codecs="mp4a.40.5"',
  'H.265/HEVC (MP4)': 'video/mp4; codecs="hvc1.1.6.L93.B0"',
  'AV1 (MP4)': 'video/mp4; codecs="av01.0.05M.08"',
  'VP9 + Opus (WebM)': 'video/webm; codecs="vp9,opus"',
  'VP8 + Vorbis (WebM)': 'video/webm; codecs="vp8,vorbis"',
  'VP9 (MP4)': 'video/mp4; codecs="vp09.00.10.08"',
  'Opus (MP4 audio)': 'audio/mp4; codecs="opus"',
  'MPEG-2 TS H.264 (for MSE)': 'video/mp2t; codecs="avc1.4d401e,mp4a.40.2"',
  'HLS playlist': 'application/vnd.apple.mpegurl',
  'HLS playlist (x-mpegURL)': 'application/x-mpegURL',
};

test('codec support of the test browser', async () => {
  const page = await browser.browser.newPage();
  await page.setContent('<video></video>');
  const version = browser.browser.version();
  const rows = await page.evaluate((types) => {
    const v = document.querySelector('video');
    return Object.entries(types).map(([name, type]) => ({
      name, type,
      canPlayType: v.canPlayType(type) || '(empty)',
      mse: typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type),
    }));
  }, TYPES);
  for (const r of rows) console.log(`${r.name.padEnd(32)} canPlayType=${r.canPlayType.padEnd(9)} MSE=${r.mse}`);
  const out = join(ROOT, 'tests', 'e2e', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'codecs.json'), JSON.stringify({ browser: version, rows }, null, 2));
  // hls.js needs MSE with H.264 + AAC: that is what the server's renditions use.
  const main = rows.find((r) => r.type.startsWith('video/mp4; codecs="avc1.4d401e'));
  assert.ok(main.mse, 'MSE cannot play H.264/AAC: hls.js would not work');
  await page.close();
});
