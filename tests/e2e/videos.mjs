// Uploading a clip through the REST API (multipart) and waiting for its processing.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { rest, sleep } from './lib.mjs';

export async function uploadAndWait(base, token, path, title, timeoutMs = 120000) {
  const fd = new FormData();
  fd.append('title', title);
  fd.append('file', new Blob([readFileSync(path)], { type: 'video/mp4' }), basename(path));
  const r = await fetch(`${base}/api/videos/`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: fd });
  const v = await r.json();
  if (r.status !== 201) throw new Error(`upload ${r.status} ${JSON.stringify(v)}`);
  return waitReady(base, token, v.id, timeoutMs);
}

export async function waitReady(base, token, id, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await rest(base, `/api/videos/${id}/`, { token });
    if (s.data?.status === 'ready') return s.data;
    if (s.data?.status === 'failed') throw new Error(`processing failed: ${s.data.processing_error}`);
    await sleep(500);
  }
  throw new Error('processing timed out');
}
