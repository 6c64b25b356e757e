// The staff admin area: a side navigation (tabs on a phone) between its pages, each
// one line in ADMIN_PAGES. A page is loaded when first opened (its own chunk), so a
// module adds its page with one line and no import elsewhere:
//   { path: '/admin/moderation', label: 'Moderation', load: () => import('../moderation-queue').then((m) => m.moderationPage) },
// `pattern` (optional) routes sub-paths to the page (their groups become its params).
import type { Cleanup, Page, Route } from '../../main';
import { me } from '../../api';
import { h } from '../../ui';
import { link } from '../../nav';

export interface AdminPage {
  path: string;
  label: string;
  load: () => Promise<Page>;
  pattern?: RegExp;
}

export const ADMIN_PAGES: AdminPage[] = [
  { path: '/admin', label: 'Dashboard', load: () => import('./dashboard').then((m) => m.dashboardPage) },
  { path: '/admin/users', label: 'Users', load: () => import('../admin-users').then((m) => m.adminUsersPage) },
  { path: '/admin/export', label: 'Export users', load: () => import('./export').then((m) => m.exportPage) },
  { path: '/admin/broadcast', label: 'Broadcast', load: () => import('./broadcast').then((m) => m.broadcastPage) },
  { path: '/admin/logs', label: 'System log', load: () => import('./logs').then((m) => m.logsPage) },
  { path: '/admin/moderation', label: 'Moderation', load: () => import('../admin-moderation').then((m) => m.adminModerationPage) },
  { path: '/admin/tickets', label: 'Tickets', load: () => import('../admin-tickets').then((m) => m.adminTicketsPage) },
  { path: '/admin/analytics', label: 'Analytics', load: () => import('../analytics/staff').then((m) => m.analyticsDashboardPage) },
  { path: '/admin/search', label: 'Search', load: () => import('./search-stats').then((m) => m.searchStatsPage) },
  { path: '/admin/catalog', label: 'Store catalog', load: () => import('./catalog').then((m) => m.catalogPage) },  // store (#18)
  { path: '/admin/crashes', label: 'App crashes', load: () => import('./crashes').then((m) => m.crashesPage) },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const isStaff = () => !!me() && (!!me()!.is_staff || !!me()!.is_superuser);

function layout(current: AdminPage, root: HTMLElement): HTMLElement {
  const nav = h('nav', { class: 'settings-nav', 'aria-label': 'Admin' },
    h('ul', null, ADMIN_PAGES.map((p) => h('li', null,
      link(p.path, p.label, { 'aria-current': p === current ? 'page' : undefined })))));
  const content = h('div', { class: 'settings-content' });
  root.append(h('div', { class: 'settings admin-area' }, nav, content));
  return content;
}

async function open(p: AdminPage, root: HTMLElement, params: string[]): Promise<Cleanup> {
  if (!isStaff()) {
    root.append(h('section', { class: 'card narrow' }, h('h1', null, 'Staff only'), h('p', null, 'This page is for staff.'),
      link('/', 'Back')));
    return;
  }
  const page = await p.load();
  return page(layout(p, root), params);
}

export const adminRoutes: Route[] = ADMIN_PAGES.map((p): Route => [
  p.pattern ?? new RegExp(`^${escape(p.path)}/?$`),
  (root, params) => open(p, root, params),
  true,
]);
