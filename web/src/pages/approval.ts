// Waiting for a host's approval (parties with `require_approval`). join/ answers 202 with
// a pending participant; the page then polls the read-only `join-request/` (which never
// files a request) until the host or a moderator lets the user in (`active`) or turns them
// down (`rejected`, remembered by the server: join/ then answers 403).
import { api, ApiError } from '../api';
import { h, clear, errorText } from '../ui';
import { link } from '../nav';
import type { Party } from './parties';

export interface JoinRequest {
  user: { id: string; username: string };
  status: 'pending';
  joined_at: string;
  party: { id: string; title: string };
}

/** Where the current user's request stands (GET join-request/). */
export interface RequestState {
  status: 'none' | 'pending' | 'rejected' | 'active';
  requested_at: string | null;
  party: { id: string; title: string };
}

export const requestState = (partyId: string) => api<RequestState>(`/api/parties/${partyId}/join-request/`);

/** True for a 202 join answer (a pending participant), false for a party. */
export function isPending(r: unknown): r is JoinRequest {
  return !!r && typeof r === 'object' && (r as any).status === 'pending' && !!(r as any).user;
}

export interface WaitOptions {
  /** What the user asks to join, as shown in a sentence (“Friday movie”, the party with room code …). */
  label: string;
  request: JoinRequest;
  /** The party, once the request is approved. */
  enter: () => Promise<Party>;
  /** Withdraws a pending request. */
  withdraw?: () => Promise<unknown>;
  onAdmitted: (party: Party) => void;
  intervalMs?: number;
}

/** The card telling a user the host turned their request down. */
export function showDeclined(root: HTMLElement, label: string) {
  const card = h('section', { class: 'card narrow', id: 'approval-wait', 'aria-labelledby': 'approval-title' },
    h('h1', { id: 'approval-title', tabindex: '-1' }, 'The host declined your request'),
    h('p', { role: 'alert', id: 'approval-rejected' }, `You were not let into ${label}.`),
    link('/', 'Back to the parties'));
  clear(root, card);
  (card.querySelector('#approval-title') as HTMLElement).focus();
}

/** Shows the waiting state in `root` and polls; returns a stop function for the page cleanup. */
export function waitForApproval(root: HTMLElement, o: WaitOptions): () => void {
  const every = o.intervalMs ?? 3000;
  const partyId = o.request.party.id;
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
  const t = new Date(o.request.joined_at);
  status.textContent = isNaN(t.getTime()) ? 'Request sent.' : `Request sent at ${t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
  schedule();

  function schedule() {
    if (!stopped) timer = window.setTimeout(poll, every);
  }
  async function poll() {
    if (stopped) return;
    let r: RequestState;
    try {
      r = await requestState(partyId);
    } catch (e) {
      if (stopped) return;
      // Gone or no longer visible: final. Anything else (network, 5xx, 429) is retried.
      if (e instanceof ApiError && [403, 404].includes(e.status)) return final('Cannot join', errorText(e));
      status.textContent = `Still waiting (could not check: ${errorText(e)}).`;
      return schedule();
    }
    if (stopped) return;
    switch (r.status) {
      case 'pending': return schedule();
      case 'rejected': stop(); return showDeclined(root, o.label);
      case 'none': return final('No longer asking', 'Your request was withdrawn or removed.');
      case 'active': {
        stop();
        let party: Party;
        try { party = await o.enter(); } catch (e) { return final('Cannot join', errorText(e)); }
        o.onAdmitted(party);
      }
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
