// The account's own API (docs/api.md, "Accounts"): profile, avatar, privacy, email,
// password, 2FA, sessions and login history. Pages call these, never the paths.
import { api, setMe, type User } from './api';

export interface Privacy {
  profile_visibility: 'public' | 'private';
  show_email: boolean;
  show_birth_date: boolean;
  show_phone: boolean;
  show_country: boolean;
}

export interface Profile {
  user_id: string;
  avatar: string | null;
  bio: string;
  country: string;
  timezone: string;
  birth_date: string | null;
  phone: string;
  is_verified: boolean;
  privacy_settings: Privacy;
}

export interface Session {
  id: string;
  user_agent: string;
  ip_address: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  current: boolean;
}

export interface LoginEvent {
  id: string;
  success: boolean;
  reason: string;
  username: string;
  ip_address: string;
  user_agent: string;
  created_at: string;
}

export interface TwoFactorSetup {
  secret: string;
  otpauth_uri: string;
  qr_code_svg: string;
}

/** Reads the user object again (after a change the server made to it) and shares it. */
export async function reloadUser(): Promise<User> {
  const u = await api<User>('/api/auth/profile/');
  setMe(u);
  return u;
}

export const getProfile = () => api<Profile>('/api/users/me/profile/');
export const patchProfile = (body: Partial<Omit<Profile, 'privacy_settings'>> & { privacy_settings?: Partial<Privacy> }) =>
  api<Profile>('/api/users/me/profile/', { method: 'PATCH', body });

export async function patchNames(first_name: string, last_name: string): Promise<User> {
  const u = await api<User>('/api/auth/profile/', { method: 'PATCH', body: { first_name, last_name } });
  setMe(u);
  return u;
}

export function uploadAvatar(file: File): Promise<Profile> {
  const form = new FormData();
  form.append('file', file);
  return api<Profile>('/api/users/me/avatar/', { method: 'POST', form });
}

export const changePassword = (current_password: string, new_password: string) =>
  api('/api/auth/change-password/', { method: 'POST', body: { current_password, new_password } });

/** Mails a link to `new_email`; the address changes when that link is opened. */
export const changeEmail = (new_email: string, password: string) =>
  api<{ success: true; message: string }>('/api/auth/change-email/', { method: 'POST', body: { new_email, password } });

export const resendVerification = () => api('/api/auth/resend-verification/', { method: 'POST' });

export const setupTwoFactor = () => api<TwoFactorSetup>('/api/auth/2fa/setup/', { method: 'POST' });
export const confirmTwoFactor = (code: string) =>
  api<{ success: true; recovery_codes: string[] }>('/api/auth/2fa/verify/', { method: 'POST', body: { code } });
export const disableTwoFactor = (code: string, password: string) =>
  api('/api/auth/2fa/disable/', { method: 'POST', body: { code, password } });

export const revokeSession = (id: string) => api(`/api/auth/sessions/${id}/`, { method: 'DELETE' });
export const revokeOtherSessions = () =>
  api<{ success: true; revoked: number }>('/api/auth/sessions/revoke-all/', { method: 'POST', body: { keep_current: true } });

