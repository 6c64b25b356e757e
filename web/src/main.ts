import './style.css';
import { restore, me, onAuthChange, hasStoredSession } from './api';
import { h, clear, errorText } from './ui';
import { Shell } from './shell';
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
import { roomPage } from './pages/room';
import { settingsRoutes } from './pages/settings/routes';
import { navigate, link } from './nav';
// -- social graph and groups (#13)
import { startUserSocket } from './user-socket';
import { friendsPage } from './pages/friends';
import { groupsPage } from './pages/groups';
import { groupPage } from './pages/group';
// -- messaging (#14)
import { messagesPage } from './pages/messages/page';
// -- events (#16)
import { eventsPage } from './pages/events';
// -- search and recommendations (#22)
import { searchPage } from './pages/search';
import { savedSearchesPage } from './pages/saved-searches';
import { eventPage } from './pages/event';
import { newEventPage, editEventPage } from './pages/event-form';
// -- push notifications (#15): a clicked notification opens its page in this tab
import { listenForPushClicks } from './push';
listenForPushClicks();
// -- notifications (#15)
import { notificationsPage } from './pages/notifications';
// -- support (#19): help center, tickets (the staff queue is an admin page)
import { helpPage } from './pages/help';
import { myTicketsPage, newTicketPage } from './pages/tickets';
import { ticketPage } from './pages/ticket';
// -- moderation (#19)
import { standingPage } from './pages/standing';
import { appealPage } from './pages/appeal';
// -- admin area and broadcasts (#19)
import { adminRoutes } from './pages/admin/area';
// ---- analytics (#20)
import { videoAnalyticsPage } from './pages/analytics/video';
import { myActivityPage } from './pages/analytics/activity';
// ---- end analytics
import { startBroadcastBanner } from './broadcast-banner';
// -- store and achievements (#18)
import { storePage } from './pages/store';
import { achievementsPage } from './pages/achievements';

// A page renders into `root` and may return a cleanup run when navigating away.
export type Cleanup = (() => void) | void;
export type Page = (root: HTMLElement, params: string[]) => Cleanup | Promise<Cleanup>;
/** A route: the path, the page, and whether it needs a logged-in user. */
export type Route = [RegExp, Page, boolean];

const routes: Route[] = [
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
  ...settingsRoutes,
  // -- videos, people, party extras, staff (#25)
  [/^\/videos\/browse\/?$/, browseVideosPage, false],
  [/^\/videos\/([0-9a-f-]{36})\/?$/, videoPage, false],
  [/^\/videos\/([0-9a-f-]{36})\/analytics\/?$/, videoAnalyticsPage, true],  // analytics (#20)
  [/^\/activity\/?$/, myActivityPage, true],  // analytics (#20)
  [/^\/people\/?$/, peoplePage, true],
  [/^\/users\/([0-9a-f-]{36})\/?$/, profilePage, true],
  [/^\/invitations\/?$/, invitationsPage, true],
  // -- social graph and groups (#13)
  [/^\/friends\/?$/, friendsPage, true],
  [/^\/groups\/?$/, groupsPage, true],
  [/^\/groups\/([0-9a-f-]{36})\/?$/, groupPage, true],
  // -- messaging (#14)
  [/^\/messages\/?$/, messagesPage, true],
  [/^\/messages\/([0-9a-f-]{36})\/?$/, messagesPage, true],
  // -- events (#16)
  [/^\/events\/?$/, eventsPage, true],
  // -- search and recommendations (#22)
  [/^\/search\/?$/, searchPage, false],
  [/^\/search\/saved\/?$/, savedSearchesPage, true],
  [/^\/events\/new\/?$/, newEventPage, true],
  [/^\/events\/([0-9a-f-]{36})\/?$/, eventPage, true],
  [/^\/events\/([0-9a-f-]{36})\/edit\/?$/, editEventPage, true],
  // -- notifications (#15)
  [/^\/notifications\/?$/, notificationsPage, true],
  // -- support (#19)
  [/^\/support\/?$/, helpPage, false],
  [/^\/support\/tickets\/?$/, myTicketsPage, true],
  [/^\/support\/new\/?$/, newTicketPage, true],
  [/^\/support\/([0-9a-f-]{36})\/?$/, ticketPage, true],
  // -- moderation (#19)
  [/^\/standing\/?$/, standingPage, true],
  [/^\/appeal\/?$/, appealPage, false],
  // -- admin area (#19): its pages are ADMIN_PAGES in pages/admin/area.ts
  ...adminRoutes,
  // -- store and achievements (#18)
  [/^\/store\/?$/, storePage, true],
  [/^\/achievements\/?$/, achievementsPage, true],
];

const shell = new Shell(document.getElementById('app')!);
const main = shell.main;
let cleanup: Cleanup;
// Each render gets a number: a page still loading when the next render starts is
// cleaned up as soon as it resolves, and its view is already detached by then.
let generation = 0;
let firstRender = true;

function runCleanup(c: Cleanup) {
  if (typeof c !== 'function') return;
  try { c(); } catch (e) { console.warn(e); }
}

function notFound(view: HTMLElement) {
  view.append(h('section', { class: 'card narrow' }, h('h1', null, 'Not found'), h('p', null, link('/', 'Back to the parties'))));
}

function failed(view: HTMLElement, e: unknown) {
  view.append(h('section', { class: 'card', role: 'alert' },
    h('p', { class: 'error' }, `This page could not load: ${errorText(e)}`),
    h('button', { type: 'button', onclick: () => render() }, 'Try again')));
}

// Screen readers hear the new page: its title, and the focus moves to it (unless the
// page put the focus on a field itself).
function announce(view: HTMLElement) {
  const title = view.querySelector('h1')?.textContent?.trim();
  document.title = title ? `${title} · watchparty` : 'watchparty';
  if (firstRender) return;
  if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
}

async function render() {
  const mine = ++generation;
  runCleanup(cleanup);
  cleanup = undefined;
  shell.render();
  const path = location.pathname;
  const view = h('div', { class: 'view' });
  for (const [re, page, needsAuth] of routes) {
    const m = path.match(re);
    if (!m) continue;
    if (needsAuth && !me()) {
      sessionStorage.setItem('wp_after_login', path + location.search);
      navigate('/login', true);
      return;
    }
    clear(main, view);
    main.setAttribute('aria-busy', 'true');
    let c: Cleanup = undefined;
    try {
      c = await page(view, m.slice(1));
    } catch (e) {
      // A page that could not load its data says so, with a way to try again.
      if (mine === generation) failed(view, e);
    }
    if (mine !== generation) { runCleanup(c); return; }
    main.removeAttribute('aria-busy');
    cleanup = c;
    announce(view);
    firstRender = false;
    return;
  }
  clear(main, view);
  notFound(view);
  announce(view);
  firstRender = false;
}

window.addEventListener('popstate', render);
window.addEventListener('wp:navigate', () => { window.scrollTo(0, 0); render(); });
onAuthChange((u) => {
  shell.update();
  if (!u) {
    const guarded = routes.some(([re, , needsAuth]) => needsAuth && re.test(location.pathname));
    if (guarded) navigate('/login', true);
  }
});

(async () => {
  if (hasStoredSession()) {
    // No guest links and no page until we know who is here: nothing shows that is wrong a moment later.
    shell.restoring = true;
    shell.render();
    // Said only when it takes a while: a quick restore shows nothing in between.
    const slow = setTimeout(() => clear(main, h('p', { class: 'muted center loading' }, 'Loading…')), 300);
    try { await restore(); } catch { /* offline: treated as logged out */ }
    clearTimeout(slow);
    shell.restoring = false;
  }
  startUserSocket();
  startBroadcastBanner();  // admin (#19)
  render();
})();
