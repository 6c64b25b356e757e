// Writing a message: the text (Enter sends, Shift+Enter starts a new line), files that
// upload as soon as they are chosen (each with its progress bar and a Remove button),
// and Send. A draft keeps its client_id until it is stored, so sending it again after a
// failure can never make a second message (docs/api.md, "Messages").
import { h, fmtBytes, errorText } from '../../ui';
import { errorBox } from '../../forms';
import { ApiError } from '../../api';
import { typing } from '../../messaging/live';
import { sendMessage, uploadAttachment, type Message } from '../../messaging/api';

interface Upload {
  li: HTMLLIElement;
  id: string | null;
  done: Promise<void>;
  abort: () => void;
}

const newClientId = () => `c-${crypto.randomUUID()}`;

export function composer(conversationId: string, sent: (m: Message) => void) {
  const input = h('textarea', {
    name: 'body', id: 'composer-body', rows: 2, maxLength: 4000, placeholder: 'Write a message', autocomplete: 'off',
  });
  const files = h('input', { type: 'file', id: 'composer-files', multiple: true, class: 'sr-only' });
  const attach = h('label', { for: files.id, class: 'button attach' }, '📎 Attach files');
  const list = h('ul', { class: 'composer-uploads', id: 'composer-uploads', 'aria-label': 'Attachments' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'composer-send' }, 'Send');
  const box = errorBox();
  const form = h('form', { class: 'composer', id: 'composer', 'aria-label': 'New message' },
    h('label', { for: input.id, class: 'sr-only' }, 'Message'), input, list, box,
    h('div', { class: 'inline' }, files, attach, h('span', { class: 'grow' }), submit));
  let uploads: Upload[] = [];
  let clientId = newClientId();

  function addFile(file: File) {
    const bar = h('progress', { max: 100, value: 0, 'aria-label': `Uploading ${file.name}` });
    const remove = h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${file.name}` }, 'Remove');
    const note = h('span', { class: 'muted small' }, fmtBytes(file.size));
    const li = h('li', { class: 'composer-upload' }, h('span', { class: 'grow' }, file.name, ' ', note), bar, remove);
    const u: Upload = { li, id: null, done: Promise.resolve(), abort: () => {} };
    u.done = uploadAttachment(file, (s, t) => { bar.value = t ? Math.round((s / t) * 100) : 0; }, (f) => { u.abort = f; })
      .then((a) => { u.id = a.id; bar.value = 100; li.classList.add('uploaded'); note.textContent = `${fmtBytes(file.size)} · ready`; })
      .catch((e) => { li.classList.add('failed'); note.textContent = errorText(e); note.className = 'error small'; bar.remove(); });
    remove.addEventListener('click', () => { u.abort(); uploads = uploads.filter((x) => x !== u); li.remove(); input.focus(); });
    uploads.push(u);
    list.append(li);
  }

  files.addEventListener('change', () => {
    for (const f of Array.from(files.files ?? [])) addFile(f);
    files.value = '';
  });
  input.addEventListener('input', () => { if (input.value.trim()) typing(conversationId); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.hidden = true;
    const body = input.value.trim();
    if (!body && !uploads.length) return;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      await Promise.all(uploads.map((u) => u.done));
      if (uploads.some((u) => !u.id)) throw new Error('An attachment did not upload: remove it to send the rest.');
      const m = await sendMessage(conversationId, {
        client_id: clientId, body: body || undefined, attachment_ids: uploads.length ? uploads.map((u) => u.id!) : undefined,
      });
      clientId = newClientId();
      input.value = '';
      uploads = [];
      list.replaceChildren();
      sent(m);
    } catch (ex) {
      box.textContent = ex instanceof ApiError && ex.retryAfter ? `${ex.message} Try again in ${ex.retryAfter} s.` : errorText(ex);
      box.hidden = false;
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
      input.focus();
    }
  });

  return { el: form, focus: () => input.focus() };
}
