// The uploader's (or staff's) form for a video's title, description, category, tags,
// visibility and download permission. A failed save keeps what was typed.
import { api } from '../api';
import { h } from '../ui';
import { inputField, errorBox, onSubmit, type Field } from '../forms';
import type { Video } from './video';

export function editVideoForm(v: Video, onSaved: (v: Video) => void, onCancel: () => void): HTMLFormElement {
  const title = h('input', { name: 'title', required: true, maxLength: 200, value: v.title });
  const description = h('textarea', { name: 'description', maxLength: 5000, rows: 4 }, v.description || '');
  const category = h('input', { name: 'category', maxLength: 50, value: v.category || '' });
  const tags = h('input', { name: 'tags', id: 'edit-tags', value: (v.tags ?? []).join(', ') });
  const isPublic = h('input', { type: 'checkbox', name: 'is_public', id: 'edit-is-public', checked: v.is_public });
  const allowDownload = h('input', { type: 'checkbox', name: 'allow_download', id: 'edit-allow-download', checked: v.allow_download });
  const fields: Record<string, Field> = {
    title: inputField('Title', title),
    description: inputField('Description', description),
    category: inputField('Category', category, 'Optional, e.g. music'),
    tags: inputField('Tags', tags, 'Up to 10, separated by commas, e.g. jazz, live'),
  };
  const box = errorBox();
  const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const form = h('form', { class: 'card tight', id: 'edit-video-form', 'aria-label': 'Edit video' },
    fields.title.el, fields.description.el, fields.category.el, fields.tags.el,
    h('label', { class: 'check', for: 'edit-is-public' }, isPublic, h('span', null, 'Public: anyone may find and watch it')),
    h('label', { class: 'check', for: 'edit-allow-download' }, allowDownload, h('span', null, 'Allow others to download the original file')),
    box,
    h('div', { class: 'inline' }, save, h('button', { type: 'button', onclick: onCancel }, 'Cancel')));
  onSubmit(form, {
    fields, box, submit: save,
    action: () => api<Video>(`/api/videos/${v.id}/`, {
      method: 'PATCH',
      body: { title: title.value.trim(), description: description.value, category: category.value.trim(),
        tags: tags.value.split(',').map((t) => t.trim()).filter((t) => t), is_public: isPublic.checked, allow_download: allowDownload.checked },
    }),
    done: onSaved,
  });
  return form;
}
