import './style.css';
import { restore, me, onAuthChange, logout, hasStoredSession } from './api';
import { h, clear } from './ui';
import { loginPage, registerPage } from './pages/auth';
import { forgotPasswordPage, resetPasswordPage } from './pages/password-reset';
import { verifyEmailPage } from './pages/verify-email';
import { partiesPage, joinByCodePage } from './pages/parties';
import { videosPage } from './pages/videos';
// -- videos, people, party extras, staff (#25)
import { videoPage } from './pages/video';
import { browseVideosPage } from './pages/browse-videos';
import { peoplePage, profilePage } from './pages/people';
import { invitationsPage } from './pages/invitations';
import { adminUsersPage, isStaff } from './pages/admin-users';
import { roomPage } from './pages/room';
import { navigate, link } from './nav';

// A page renders into `root` and may return a cleanup run when navigating away.
export type Cleanup = (() => void) | void;
type Page = (root: HTMLElement, params: string[]) => Cleanup | Promise<Cleanup>;

const routes: [RegExp, Page, boolean][] = [
  [/^\/login\/?$/, loginPage, false],
  [/^\/register\/?$/, registerPage, false],
  [/^\/forgot-password\/?$/, forgotPasswordPage, false],
  [/^\/reset-password\/?$/, resetPasswordPage, false],
  [/^\/verify-email\/?$/, verifyEmailPage, false],
  [/^\/$/, partiesPage, true],
  [/^\/parties\/?$/, partiesPage, true],
  [/^\/parties\/([0-9a-f-]{36})\/?$/, roomPage, true],
  [/^\/join\/([A-Za-z0-9]{4,16})\/?$/, joinByCodePage, true],
  [/^\/videos\/?$/, videosPage, true],
  // -- videos, people, party extras, staff (#25)
  [/^\/videos\/browse\/?$/, browseVideosPage, false],
  [/^\/videos\/([0-9a-f-]{36})\/?$/, videoPage, false],
  [/^\/people\/?$/, peoplePage, true],
  [/^\/users\/([0-9a-f-]{36})\/?$/, profilePage, true],
  [/^\/invitations\/?$/, invitationsPage, true],
  [/^\/admin\/users\/?$/, adminUsersPage, true],
];

const app = document.getElementById('app')!;
const nav = h('nav', { class: 'topbar', 'aria-label': 'Main' });
const main = h('main', { id: 'main', tabindex: '-1' });
app.append(nav, main);
let cleanup: Cleanup;

function renderNav() {
  const u = me();
  clear(
    nav,
    h('a', { class: 'brand', href: '/', onclick: (e: MouseEvent) => { e.preventDefault(); navigate('/'); } }, '▶ watchparty'),
    u
      ? h('div', { class: 'navlinks' },
          link('/', 'Parties'),
          link('/videos/browse', 'Videos'),
          link('/videos', 'My videos'),
          link('/people', 'People'),
          link('/invitations', 'Invitations'),
          isStaff(u) ? link('/admin/users', 'Users') : null,
          h('span', { class: 'who', title: 'Logged in' }, u.username),
          h('button', { class: 'link', id: 'logout', onclick: async () => { await logout(); navigate('/login'); } }, 'Log out'))
      : h('div', { class: 'navlinks' }, link('/videos/browse', 'Videos'), link('/login', 'Log in'), link('/register', 'Register')),
  );
}

async function render() {
  if (typeof cleanup === 'function') {
    try { cleanup(); } catch (e) { console.warn(e); }
  }
  cleanup = undefined;
  renderNav();
  const path = location.pathname;
  for (const [re, page, needsAuth] of routes) {
    const m = path.match(re);
    if (!m) continue;
    if (needsAuth && !me()) {
      sessionStorage.setItem('wp_after_login', path + location.search);
      navigate('/login', true);
      return;
    }
    clear(main);
    cleanup = await page(main, m.slice(1));
    return;
  }
  clear(main, h('section', { class: 'card narrow' }, h('h1', null, 'Not found'), h('p', null, link('/', 'Back to the parties'))));
}

window.addEventListener('popstate', render);
window.addEventListener('wp:navigate', render);
onAuthChange((u) => {
  renderNav();
  if (!u) {
    const guarded = routes.some(([re, , needsAuth]) => needsAuth && re.test(location.pathname));
    if (guarded) navigate('/login', true);
  }
});

(async () => {
  if (hasStoredSession()) {
    clear(main, h('p', { class: 'muted center' }, 'Loading…'));
    try { await restore(); } catch { /* offline: treated as logged out */ }
  }
  render();
})();
