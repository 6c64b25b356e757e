// Waiting for a host's approval (parties with `require_approval`). join/ answers 202 with
// a pending participant until the host or a moderator lets the user in; asking again while
// pending is harmless and answers with the same request. The API has no "rejected" state:
// a rejected request is simply gone, and the next join/ files a new one, which we notice
// because its `joined_at` (when the user asked) changed.
import { ApiError } from '../api';
import { h, clear, errorText } from '../ui';
import { link } from '../nav';
import type { Party } from './parties';

export interface JoinRequest {
  user: { id: string; username: string };
  status: 'pending';
  joined_at: string;
  party: { id: string; title: string };
}

/** True for a 202 join answer (a pending participant), false for a party. */
export function isPending(r: unknown): r is JoinRequest {
  return !!r && typeof r === 'object' && (r as any).status === 'pending' && !!(r as any).user;
}

export interface WaitOptions {
  /** What the user asks to join, as shown in a sentence (“Friday movie”, the party with room code …). */
  label: string;
  request: JoinRequest;
  /** Asks to join again: the party once admitted, the pending request otherwise. */
  ask: () => Promise<Party | JoinRequest>;
  /** Withdraws a pending request. */
  withdraw?: () => Promise<unknown>;
  onAdmitted: (party: Party) => void;
  intervalMs?: number;
}

/** Shows the waiting state in `root` and polls; returns a stop function for the page cleanup. */
export function waitForApproval(root: HTMLElement, o: WaitOptions): () => void {
  const every = o.intervalMs ?? 3000;
  let request = o.request;
  let stopped = false;
  let timer: number | undefined;

  const status = h('p', { class: 'muted small', id: 'approval-status', role: 'status', 'aria-live': 'polite' });
  const cancel = o.withdraw
    ? h('button', { type: 'button', class: 'small', id: 'approval-cancel', onclick: withdrawAndLeave }, 'Cancel my request')
    : null;
  const card = h('section', { class: 'card narrow', id: 'approval-wait', 'aria-labelledby': 'approval-title' },
    h('h1', { id: 'approval-title', tabindex: '-1' }, 'Waiting for the host to approve you'),
    h('p', null, `You asked to join ${o.label}. You will enter the room as soon as the host or a moderator lets you in.`),
    status,
    h('div', { class: 'inline' }, cancel, link('/', 'Back to the parties')));
  clear(root, card);
  (card.querySelector('#approval-title') as HTMLElement).focus();
  showAsked();
  schedule();

  function showAsked() {
    const t = new Date(request.joined_at);
    status.textContent = isNaN(t.getTime()) ? 'Request sent.' : `Request sent at ${t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
  }
  function schedule() {
    if (!stopped) timer = window.setTimeout(poll, every);
  }
  async function poll() {
    if (stopped) return;
    let r: Party | JoinRequest;
    try {
      r = await o.ask();
    } catch (e) {
      if (stopped) return;
      // Banned, ended, gone: final. Anything else (network, 5xx, 429) is retried.
      if (e instanceof ApiError && [403, 404, 409].includes(e.status)) return final('Cannot join', errorText(e));
      status.textContent = `Still waiting (could not check: ${errorText(e)}).`;
      return schedule();
    }
    if (stopped) return;
    if (!isPending(r)) {
      stopped = true;
      o.onAdmitted(r);
      return;
    }
    if (r.joined_at !== request.joined_at) {
      // Our earlier request was turned down; this poll just asked again, so take that back.
      o.withdraw?.().catch(() => { /* the host may have decided already */ });
      return rejected();
    }
    schedule();
  }
  function rejected() {
    stopped = true;
    const again = h('button', { type: 'button', class: 'primary', id: 'approval-again', onclick: askAgain }, 'Ask again');
    clear(card,
      h('h1', { id: 'approval-title', tabindex: '-1' }, 'The host declined your request'),
      h('p', { role: 'alert', id: 'approval-rejected' }, `You were not let into ${o.label}.`),
      h('div', { class: 'inline' }, again, link('/', 'Back to the parties')));
    (card.querySelector('#approval-title') as HTMLElement).focus();
  }
  async function askAgain() {
    try {
      const r = await o.ask();
      if (!isPending(r)) { o.onAdmitted(r); return; }
      request = r;
      stopped = false;
      clear(card,
        h('h1', { id: 'approval-title', tabindex: '-1' }, 'Waiting for the host to approve you'),
        h('p', null, `You asked again to join ${o.label}.`), status,
        h('div', { class: 'inline' }, cancel, link('/', 'Back to the parties')));
      (card.querySelector('#approval-title') as HTMLElement).focus();
      showAsked();
      schedule();
    } catch (e) {
      final('Cannot join', errorText(e));
    }
  }
  async function withdrawAndLeave() {
    stop();
    try { await o.withdraw?.(); } catch { /* nothing left to withdraw */ }
    final('Request withdrawn', 'You are no longer asking to join.');
  }
  function final(title: string, text: string) {
    stop();
    clear(card, h('h1', { id: 'approval-title', tabindex: '-1' }, title), h('p', { class: 'error', role: 'alert' }, text), link('/', 'Back to the parties'));
  }
  function stop() {
    stopped = true;
    clearTimeout(timer);
  }
  return stop;
}
