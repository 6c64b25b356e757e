// The web client's message ordering (web/src/messaging/order.ts) on its own, without a
// browser: events out of order, duplicates, newer states of held messages, gaps filled
// from a fake REST, a reload (reset) in the middle. The module is transpiled with the
// web client's own esbuild (web/node_modules, there once the client is built).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tmpDir, sleep } from './lib.mjs';

const ESBUILD = join(ROOT, 'web', 'node_modules', '.bin', 'esbuild');
const skip = existsSync(ESBUILD) ? false : 'web/node_modules is missing: scripts/build-web.sh installs it';

let SeqTail, gapFiller, isNewer;
before(async () => {
  if (skip) return;
  globalThis.window ??= globalThis; // gapFiller's timers
  const out = join(tmpDir(), 'order.mjs');
  execFileSync(ESBUILD,
    [join(ROOT, 'web', 'src', 'messaging', 'order.ts'), '--format=esm', `--outfile=${out}`, '--log-level=error']);
  ({ SeqTail, gapFiller, isNewer } = await import(out));
});

const msg = (seq, extra = {}) => ({ seq, body: `m${seq}`, edited_at: null, is_deleted: false, ...extra });

/** A tail from `have` that records what it applies and updates, and what it asks to fill. */
function recorder(have) {
  const r = { applied: [], updates: [], fills: [] };
  r.tail = new SeqTail(have, {
    apply: (m) => r.applied.push(m),
    update: (m) => r.updates.push(m),
    fill: (after) => r.fills.push(after),
  });
  return r;
}

test('in order: applied once; a duplicate is an update; a later state is newer', { skip }, () => {
  const r = recorder(0);
  [1, 2, 2, 3, 1].forEach((s) => r.tail.push(msg(s)));
  assert.deepEqual(r.applied.map((m) => m.seq), [1, 2, 3]);
  assert.deepEqual(r.updates.map((m) => m.seq), [2, 1]);
  assert.deepEqual(r.fills, []);
  assert.equal(isNewer(msg(1), msg(1, { edited_at: '2026-12-04T10:00:00.000Z' })), true);
  assert.equal(isNewer(msg(1, { edited_at: '2026-12-04T10:00:00.000Z' }), msg(1)), false);
  assert.equal(isNewer(msg(1, { edited_at: '2026-12-04T10:00:00.000Z' }), msg(1, { is_deleted: true })), true);
  assert.equal(isNewer(msg(1, { is_deleted: true }), msg(1, { edited_at: '2026-12-04T11:00:00.000Z' })), false);
});

test('out of order: held until the gap closes, asks for a fill, keeps the newest state it held', { skip }, () => {
  const r = recorder(10);
  r.tail.push(msg(13));
  r.tail.push(msg(12, { edited_at: '2026-12-04T10:00:00.000Z', body: 'edited' }));
  r.tail.push(msg(12)); // the original arrives after its edit: the edit stays
  assert.deepEqual(r.applied, []);
  assert.ok(r.tail.waiting);
  assert.ok(r.fills.every((f) => f === 10) && r.fills.length > 0);
  r.tail.push(msg(11));
  assert.deepEqual(r.applied.map((m) => [m.seq, m.body]), [[11, 'm11'], [12, 'edited'], [13, 'm13']]);
  assert.equal(r.tail.have, 13);
  assert.equal(r.tail.waiting, false);
});

test('reset after a reload: held messages it covers become updates, the rest follow in order', { skip }, () => {
  const r = recorder(0);
  r.tail.push(msg(4));
  r.tail.push(msg(6));
  r.tail.reset(4); // a REST page up to 4
  assert.deepEqual(r.updates.map((m) => m.seq), [4]);
  assert.deepEqual(r.applied, []);
  r.tail.push(msg(5));
  assert.deepEqual(r.applied.map((m) => m.seq), [5, 6]);
  r.tail.reset(2); // an older answer never moves it back
  assert.equal(r.tail.have, 6);
});

test('gap filler: one REST walk from have to the end, pages of 3, only while something is held', { skip }, async () => {
  const server = Array.from({ length: 10 }, (_, i) => msg(i + 1));
  const asked = [];
  const r = { applied: [] };
  let tail = null;
  const fill = gapFiller(async (after) => {
    asked.push(after);
    await sleep(5);
    const results = server.filter((m) => m.seq > after).slice(0, 3);
    return { results, has_more: server.some((m) => m.seq > (results.at(-1)?.seq ?? after)) };
  }, () => tail, (e) => { throw e; }, 10);
  tail = new SeqTail(2, { apply: (m) => r.applied.push(m.seq), update: () => {}, fill });
  tail.push(msg(5));
  tail.push(msg(4));
  await sleep(150);
  assert.deepEqual(r.applied, [3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(asked, [2, 5, 8], 'one walk, each page from the new have');
  tail.push(msg(11));
  await sleep(60);
  assert.deepEqual(asked, [2, 5, 8], 'no walk without a gap');
});
