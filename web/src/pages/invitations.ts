// The invitations inbox: pending party invitations, accepted (joins, then the room) or declined.
import { api, Page } from '../api';
import { h, clear, errorText, toast } from '../ui';
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
  const list = h('ul', { class: 'invitation-list', id: 'invitations' });
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading…');
  const more = h('button', { class: 'small', hidden: true }, 'Load more');
  let page = 0;

  function empty() {
    if (!list.childElementCount) { status.className = 'muted'; status.textContent = 'No invitations right now.'; }
  }

  function item(i: Invitation) {
    const li = h('li', { class: 'invitation', dataset: { id: i.id } });
    const accept = h('button', { class: 'primary small accept', onclick: async () => {
      accept.disabled = decline.disabled = true;
      try {
        const p = await api<any>(`/api/parties/invitations/${i.id}/accept/`, { method: 'POST' });
        navigate(`/parties/${p.id ?? p.party?.id ?? i.party.id}`);
      } catch (e) {
        toast(errorText(e), 'error');
        accept.disabled = decline.disabled = false;
      }
    } }, 'Accept');
    const decline = h('button', { class: 'small decline', onclick: async () => {
      accept.disabled = decline.disabled = true;
      try {
        await api(`/api/parties/invitations/${i.id}/decline/`, { method: 'POST' });
        li.remove();
        toast(`Declined “${i.party.title}”`);
        empty();
        (list.querySelector('button') as HTMLElement | null ?? status).focus?.();
      } catch (e) {
        toast(errorText(e), 'error');
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

  async function load() {
    more.disabled = true;
    try {
      const p = await api<Page<Invitation>>('/api/parties/invitations/', { query: { page: page + 1, page_size: 20 } });
      page++;
      list.append(...p.results.map(item));
      more.hidden = !p.next;
      status.textContent = '';
      empty();
    } catch (e) {
      status.className = 'error';
      status.textContent = errorText(e);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  root.append(h('section', { class: 'card' }, h('h1', null, 'Invitations'), status, list, more));
  load();
}
