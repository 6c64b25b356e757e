// Short messages at the bottom of the screen, for what has no form to show it in (a
// failed button action, a finished upload). Failures are announced at once (role=alert)
// and stay until dismissed or for a while longer; other news is polite (role=status).
import { h } from './ui';

export type ToastKind = 'info' | 'error';

const LIFETIME_MS: Record<ToastKind, number> = { info: 4000, error: 10000 };
const boxes: Partial<Record<ToastKind, HTMLElement>> = {};

function box(kind: ToastKind): HTMLElement {
  let b = boxes[kind];
  if (!b || !b.isConnected) {
    // Two live regions: an alert interrupts the screen reader, a status waits its turn.
    b = h('div', kind === 'error'
      ? { class: 'toasts toasts-error', role: 'alert' }
      : { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(b);
    boxes[kind] = b;
  }
  return b;
}

export function toast(text: string, kind: ToastKind = 'info'): HTMLElement {
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss' }, '×');
  // The text is the toast's own text node (tests and readers find the toast by it).
  const t = h('div', { class: `toast ${kind}` }, text, close);
  close.addEventListener('click', () => t.remove());
  box(kind).appendChild(t);
  setTimeout(() => t.remove(), LIFETIME_MS[kind]);
  return t;
}

/** A failed request's message as an error toast (`what` says which action failed). */
export function toastError(e: unknown, what?: string): HTMLElement {
  const text = errorMessage(e);
  return toast(what ? `${what}: ${text}` : text, 'error');
}

function errorMessage(e: unknown): string {
  if (e && typeof e === 'object' && typeof (e as any).describe === 'function') return (e as any).describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
