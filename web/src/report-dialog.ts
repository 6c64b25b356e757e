// Moderation (#19): the one report dialog every page uses. reportButton() gives a
// small "Report" button for one object; the dialog asks why and sends the report.
// The reported person never learns who reported.
import { api, ApiError, me } from './api';
import { h } from './ui';
import { toast, toastError } from './toast';

export type ContentType =
  | 'video' | 'party' | 'user' | 'party_message' | 'video_comment' | 'direct_message' | 'group' | 'event';

const REPORT_TYPES: [string, string][] = [
  ['spam', 'Spam'], ['harassment', 'Harassment'], ['nudity', 'Nudity'],
  ['violence', 'Violence'], ['copyright', 'Copyright'], ['other', 'Something else'],
];

let counter = 0;

/** Opens the dialog for one object; resolves true when a report was sent. */
export function openReportDialog(contentType: ContentType, objectId: string, what: string): Promise<boolean> {
  const n = ++counter;
  const kind = h('select', { id: `report-type-${n}`, name: 'report_type', required: true },
    ...REPORT_TYPES.map(([v, t]) => h('option', { value: v }, t)));
  const text = h('textarea', { id: `report-text-${n}`, name: 'description', maxlength: 2000, rows: 3 });
  const error = h('p', { class: 'error', role: 'alert' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send report');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h('form', { method: 'dialog', class: 'report-form' },
    h('h2', { id: `report-title-${n}` }, `Report ${what}`),
    h('p', { class: 'muted small' }, 'Staff review every report. Nobody else learns that you reported.'),
    h('label', { for: kind.id }, 'Why?'), kind,
    h('label', { for: text.id }, 'Details (optional)'), text,
    error,
    h('div', { class: 'inline' }, send, cancel));
  const dialog = h('dialog', { class: 'report-dialog card', 'aria-labelledby': `report-title-${n}` }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let sent = false;
    const done = () => { dialog.close(); dialog.remove(); resolve(sent); };
    cancel.addEventListener('click', done);
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      send.disabled = true;
      try {
        await api('/api/moderation/reports/', {
          method: 'POST',
          body: { content_type: contentType, object_id: objectId, report_type: kind.value, description: text.value.trim() },
        });
        sent = true;
        toast('Thanks: staff will review it.');
        done();
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          toast('You reported this already; staff are on it.');
          done();
          return;
        }
        error.textContent = err instanceof Error ? err.message : String(err);
        send.disabled = false;
      }
    });
    dialog.showModal();
    kind.focus();
  });
}

/** A small "Report" button for one object (nothing for a guest or for my own things). */
export function reportButton(contentType: ContentType, objectId: string, what: string, authorId?: string | null) {
  const u = me();
  if (!u || (authorId && authorId === u.id)) return null;
  const btn = h('button', { type: 'button', class: 'small link report-button', 'aria-label': `Report ${what}` }, 'Report');
  btn.addEventListener('click', () => {
    openReportDialog(contentType, objectId, what).then(() => btn.focus(), (e) => toastError(e));
  });
  return btn;
}
