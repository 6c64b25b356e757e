// /settings/login-history: every login attempt on the account, newest first.
import { type LoginEvent } from '../../account';
import { h, fmtDateTime } from '../../ui';
import { pagedList, apiPages } from '../../list';
import { section } from './layout';
import { device } from './device';

const REASONS: Record<string, string> = {
  ok: 'Logged in',
  ok_2fa: 'Logged in with a code',
  ok_recovery_code: 'Logged in with a recovery code',
  password_ok_2fa_pending: 'Password right, code asked',
  registered: 'Registered',
  unknown_user: 'Unknown user',
  bad_password: 'Wrong password',
  inactive: 'Account deactivated',
  bad_2fa_code: 'Wrong code',
};

function eventItem(e: LoginEvent) {
  return h('li', { class: `row-item login-event ${e.success ? 'ok' : 'failed'}` },
    h('div', { class: 'row-main' },
      h('strong', null, REASONS[e.reason] || e.reason),
      h('span', { class: `badge ${e.success ? 'ready' : 'failed'}` }, e.success ? 'success' : 'failed'),
      h('div', { class: 'muted small' }, `${fmtDateTime(e.created_at)} · ${device(e.user_agent)} · IP ${e.ip_address || 'unknown'}`)));
}

export function loginHistoryPage(content: HTMLElement) {
  content.append(h('h1', null, 'Login history'));
  const list = pagedList<LoginEvent>({
    fetch: apiPages('/api/auth/login-history/'),
    render: eventItem,
    empty: 'No logins yet.',
    label: 'Login attempts',
    id: 'login-history',
  });
  content.append(section('Recent logins', 'history-section',
    h('p', { class: 'muted' }, 'A failed attempt you did not make may mean someone tries your password.'), list.el));
}
