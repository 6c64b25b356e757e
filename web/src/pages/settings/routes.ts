// The settings sub-pages, in the order of their navigation. One line adds one.
import type { Route } from '../../main';
import { navigate } from '../../nav';
import { settingsLayout, type SettingsPage } from './layout';
import { profilePage } from './profile';
import { accountPage } from './account';
import { privacyPage } from './privacy';
import { twoFactorPage } from './two-factor';
import { sessionsPage } from './sessions';
import { loginHistoryPage } from './login-history';
import { pushPage } from './push';
import { notificationSettingsPage } from './notifications';
import { plansPage } from './plans';
import { billingPage } from './billing';
import { devicesPage } from './devices';

export const SETTINGS_PAGES: SettingsPage[] = [
  { path: '/settings/profile', label: 'Profile', build: profilePage },
  { path: '/settings/account', label: 'Email and password', build: accountPage },
  { path: '/settings/privacy', label: 'Privacy', build: privacyPage },
  { path: '/settings/security', label: 'Two-factor authentication', build: twoFactorPage },
  { path: '/settings/sessions', label: 'Sessions', build: sessionsPage },
  { path: '/settings/login-history', label: 'Login history', build: loginHistoryPage },
  { path: '/settings/push', label: 'Push notifications', build: pushPage },
  { path: '/settings/notifications', label: 'Notifications', build: notificationSettingsPage },
  { path: '/settings/plans', label: 'Plans', build: plansPage },
  { path: '/settings/billing', label: 'Billing history', build: billingPage },
  { path: '/settings/devices', label: 'Devices', build: devicesPage },
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export const settingsRoutes: Route[] = [
  [/^\/settings\/?$/, () => navigate(SETTINGS_PAGES[0].path, true), true],
  ...SETTINGS_PAGES.map((p): Route => [
    new RegExp(`^${escape(p.path)}/?$`),
    (root) => p.build(settingsLayout(SETTINGS_PAGES, p, root)),
    true,
  ]),
];
