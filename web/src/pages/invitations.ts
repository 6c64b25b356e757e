// The invitations inbox: pending party invitations, accepted (joins, then the room) or declined.
import { api } from '../api';
import { h, clear, toast } from '../ui';
import { toastError } from '../toast';
import { pagedList, apiPages, type PagedList } from '../list';
import { link, navigate } from '../nav';

interface Invitation {
  id: string;
  party: { id: string; title: string };
  inviter: { id: string; username: string };
  status: string;
  created_at: string;
}

function fmtAgo(iso: string): string {
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function invitationsPage(root: HTMLElement) {
  let list: PagedList;

  function item(i: Invitation) {
    const li = h('li', { class: 'invitation', dataset: { id: i.id } });
    const accept = h('button', { class: 'primary small accept', onclick: async () => {
      accept.disabled = decline.disabled = true;
      try {
        const p = await api<any>(`/api/parties/invitations/${i.id}/accept/`, { method: 'POST' });
        navigate(`/parties/${p.id ?? i.party.id}`);
      } catch (e) {
        toastError(e, 'Could not accept');
        accept.disabled = decline.disabled = false;
      }
    } }, 'Accept');
    const decline = h('button', { class: 'small decline', onclick: async () => {
      accept.disabled = decline.disabled = true;
      try {
        await api(`/api/parties/invitations/${i.id}/decline/`, { method: 'POST' });
        list.removeItem(li);
        toast(`Declined “${i.party.title}”`);
        (root.querySelector('li.invitation button') as HTMLElement | null)?.focus();
      } catch (e) {
        toastError(e, 'Could not decline');
        accept.disabled = decline.disabled = false;
      }
    } }, 'Decline');
    accept.setAttribute('aria-label', `Accept the invitation to ${i.party.title}`);
    decline.setAttribute('aria-label', `Decline the invitation to ${i.party.title}`);
    clear(li,
      h('div', { class: 'grow' }, h('strong', { class: 'party-title' }, i.party.title),
        h('div', { class: 'muted small' }, 'from ', link(`/users/${i.inviter.id}`, i.inviter.username), ` · ${fmtAgo(i.created_at)}`)),
      h('div', { class: 'inline' }, accept, decline));
    return li;
  }

  list = pagedList<Invitation>({
    fetch: apiPages('/api/parties/invitations/'), render: item,
    label: 'Invitations', id: 'invitations', class: 'invitation-list', empty: 'No invitations right now.',
  });
  root.append(h('section', { class: 'card' }, h('h1', null, 'Invitations'), list.el));
}
