import { api, me, token, Page, ApiError } from '../api';
import { h, clear, field, errorText, fmtBytes, fmtTime, toast } from '../ui';
import { link } from '../nav';
import type { Cleanup } from '../main';

// Upload: tus 1.0 (resumable; tus-js-client remembers unfinished uploads by file
// fingerprint in localStorage, so picking the same file again resumes), falling back to
// one multipart POST when the server has no tus endpoint.

async function uploadTus(file: File, title: string, onProgress: (sent: number, total: number) => void, setAbort: (f: () => void) => void): Promise<string | null> {
  const tus = await import('tus-js-client');
  return new Promise((resolve, reject) => {
    let videoId: string | null = null;
    const upload = new tus.Upload(file, {
      endpoint: '/api/videos/uploads/',
      chunkSize: 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { filename: file.name, title: title || file.name, filetype: file.type || 'application/octet-stream' },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (req) => {
        const t = await token();
        if (t) req.setHeader('Authorization', `Bearer ${t}`);
      },
      onAfterResponse: (_req, res) => {
        const id = res.getHeader('X-Video-ID');
        if (id) videoId = id;
      },
      onProgress: (sent, total) => onProgress(sent, total),
      onError: (e) => reject(e),
      onSuccess: () => resolve(videoId),
    });
    setAbort(() => {
      upload.abort(); // keeps the upload on the server and its URL in localStorage
      reject(new Error('paused'));
    });
    upload.findPreviousUploads().then((prev) => {
      if (prev.length) upload.resumeFromPreviousUpload(prev[0]);
      upload.start();
    });
  });
}

async function uploadMultipart(file: File, title: string, onProgress: (sent: number, total: number) => void, setAbort: (f: () => void) => void): Promise<string | null> {
  const t = await token();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/videos/');
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () => {
      let body: any = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body?.id ?? null);
      else reject(new ApiError(xhr.status, body, null));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onabort = () => reject(new Error('cancelled'));
    setAbort(() => xhr.abort());
    const fd = new FormData();
    fd.append('title', title || file.name);
    fd.append('file', file);
    xhr.send(fd);
  });
}

/** A tus error that means "this server has no tus endpoint" (then: one multipart POST). */
function noTusEndpoint(e: any): boolean {
  const st = e?.originalResponse?.getStatus?.();
  return st === 404 || st === 405;
}

function statusBadge(v: any) {
  return h('span', { class: `badge ${v.status}` }, v.status);
}

export function videosPage(root: HTMLElement): Cleanup {
  const file = h('input', { type: 'file', name: 'file', accept: 'video/*', required: true });
  const title = h('input', { name: 'title', maxLength: 200, placeholder: 'defaults to the file name' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, id: 'upload-progress' });
  const barText = h('span', { class: 'muted', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Upload');
  const cancel = h('button', { type: 'button', hidden: true }, 'Pause');
  let abort: (() => void) | null = null;
  cancel.addEventListener('click', () => { abort?.(); });
  const list = h('ul', { class: 'video-list', id: 'video-list' });
  const timers: number[] = [];

  async function refreshList() {
    const u = me();
    try {
      const page = await api<Page<any>>('/api/videos/', { query: { uploader: u?.id, page_size: 100 } });
      clear(list, page.results.length ? page.results.map(videoItem) : h('li', { class: 'muted' }, 'No video yet: upload one.'));
      if (page.results.some((v) => v.status === 'processing')) timers.push(window.setTimeout(refreshList, 2000));
      else if (barText.textContent?.startsWith('Uploaded: processing')) barText.textContent = 'Uploaded and processed: ready to play.';
    } catch (e) {
      clear(list, h('li', { class: 'error' }, e instanceof ApiError && e.status === 404 ? 'Videos are not available on this server yet.' : errorText(e)));
    }
  }

  function videoItem(v: any) {
    const prog = h('span', { class: 'muted' });
    if (v.status === 'processing') {
      api(`/api/videos/${v.id}/processing-status/`).then((s: any) => {
        prog.textContent = ` ${s.progress ?? 0}%${s.job?.status ? ' (' + s.job.status + ')' : ''}`;
      }).catch(() => {});
    }
    return h('li', { class: 'video-item' },
      v.thumbnail_url && v.status === 'ready' ? h('img', { src: v.thumbnail_url, alt: '', width: 96, height: 54, loading: 'lazy' }) : h('div', { class: 'thumb-ph' }),
      h('div', null,
        link(`/videos/${v.id}`, v.title, { class: 'video-title' }),
        h('div', { class: 'muted' }, statusBadge(v), prog, v.duration ? ` · ${fmtTime(v.duration)}` : '', v.file_size ? ` · ${fmtBytes(v.file_size)}` : '',
          v.processing_error ? h('span', { class: 'error' }, ` ${v.processing_error}`) : null)));
  }

  const form = h('form', {
    class: 'card', id: 'upload-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const f = file.files?.[0];
      if (!f) return;
      submit.disabled = true;
      cancel.hidden = false;
      bar.hidden = false;
      bar.value = 0;
      const onProgress = (sent: number, total: number) => {
        bar.value = total ? (sent / total) * 100 : 0;
        barText.textContent = `${fmtBytes(sent)} / ${fmtBytes(total)} (${Math.floor(bar.value)}%)`;
      };
      try {
        cancel.textContent = 'Pause';
        try {
          await uploadTus(f, title.value.trim(), onProgress, (a) => (abort = a));
        } catch (ex) {
          if (!noTusEndpoint(ex)) throw ex;
          cancel.textContent = 'Cancel';
          await uploadMultipart(f, title.value.trim(), onProgress, (a) => (abort = a));
        }
        barText.textContent = 'Uploaded: processing…';
        toast('Upload complete');
        file.value = '';
        title.value = '';
        refreshList();
      } catch (ex) {
        barText.textContent = errorText(ex) === 'paused'
          ? 'Paused: press Upload with the same file to resume.'
          : errorText(ex) === 'cancelled' ? 'Upload cancelled.'
          : `Upload stopped: ${errorText(ex)} (press Upload with the same file to resume)`;
      } finally {
        submit.disabled = false;
        cancel.hidden = true;
        abort = null;
      }
    },
  },
    h('h2', null, 'Upload a video'),
    field('File', file),
    field('Title', title),
    h('div', { class: 'inline' }, submit, cancel),
    bar, barText,
  );
  root.append(h('div', { class: 'grid2' }, form, h('section', { class: 'card' }, h('h2', null, 'My videos'), list)));
  refreshList();
  return () => { timers.forEach(clearTimeout); abort?.(); };
}
