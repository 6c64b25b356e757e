// /settings/sessions: where the account is logged in; any other session can be ended.
import { revokeSession, revokeOtherSessions, type Session } from '../../account';
import { h, fmtDateTime } from '../../ui';
import { toast, toastError } from '../../toast';
import { pagedList, apiPages, type PagedList } from '../../list';
import { section } from './layout';
import { device } from './device';

function sessionItem(s: Session, list: () => PagedList) {
  const revoke = h('button', { type: 'button', class: 'small danger', 'aria-label': `Log out ${device(s.user_agent)}, ${s.ip_address}` }, 'Log out');
  const li = h('li', { class: 'row-item session', dataset: { id: s.id } },
    h('div', { class: 'row-main' },
      h('strong', null, device(s.user_agent)), s.current ? h('span', { class: 'badge ready' }, 'this device') : null,
      h('div', { class: 'muted small' },
        `IP ${s.ip_address || 'unknown'} · last seen ${fmtDateTime(s.last_seen_at)} · logged in ${fmtDateTime(s.created_at)}`)),
    s.current ? null : revoke);
  revoke.addEventListener('click', async () => {
    revoke.disabled = true;
    try {
      await revokeSession(s.id);
      list().removeItem(li);
      toast('That session is logged out');
    } catch (e) {
      toastError(e, 'Logging it out failed');
      revoke.disabled = false;
    }
  });
  return li;
}

export function sessionsPage(content: HTMLElement) {
  content.append(h('h1', null, 'Sessions'));
  const list: PagedList = pagedList<Session>({
    fetch: apiPages('/api/auth/sessions/'),
    render: (s) => sessionItem(s, () => list),
    empty: 'No sessions.',
    label: 'Sessions',
    id: 'sessions',
  });
  const all = h('button', { type: 'button', id: 'revoke-others' }, 'Log out all other sessions');
  all.addEventListener('click', async () => {
    all.disabled = true;
    try {
      const r = await revokeOtherSessions();
      toast(r.revoked ? `${r.revoked} other session${r.revoked === 1 ? '' : 's'} logged out` : 'There was no other session');
      await list.reload();
    } catch (e) {
      toastError(e, 'Logging out the other sessions failed');
    } finally {
      all.disabled = false;
    }
  });
  content.append(section('Where you are logged in', 'sessions-section',
    h('p', { class: 'muted' }, 'Log out a session you do not recognise, then change your password.'),
    list.el, all));
}
