// REST client. The access token lives in memory only; the refresh token is kept in
// localStorage so a reload or a new tab stays logged in. Refresh tokens are single use,
// so refreshes are serialized across tabs with the Web Locks API when available, and a
// tab re-reads the stored token inside the lock (another tab may have rotated it already).

export interface User {
  id: string;
  username: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  is_staff?: boolean;
  email_verified?: boolean;
  two_factor_enabled?: boolean;
  [k: string]: unknown;
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

export class ApiError extends Error {
  status: number;
  code: string;
  errors: Record<string, string[]>;
  details: Record<string, string>;
  retryAfter: number | null;
  constructor(status: number, body: any, retryAfter: number | null) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (body && body.error_code) || 'HTTP_ERROR';
    this.errors = (body && body.errors) || {};
    this.details = (body && body.details) || {};
    this.retryAfter = retryAfter;
  }
  /** One human sentence with the field errors, for forms. */
  describe(): string {
    const fields = Object.entries(this.errors)
      .map(([k, v]) => `${k}: ${(v || []).join(', ')}`)
      .join('; ');
    return fields ? `${this.message} (${fields})` : this.message;
  }
}

const REFRESH_KEY = 'wp_refresh_token';
let accessToken: string | null = null;
let accessExpiry = 0; // client ms
let currentUser: User | null = null;
const listeners = new Set<(u: User | null) => void>();

export function onAuthChange(fn: (u: User | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function emit() {
  for (const fn of listeners) fn(currentUser);
}
export function me(): User | null {
  return currentUser;
}

/** After the user object changed (profile, 2FA, email): the shell and pages see the new one. */
export function setMe(u: User) {
  if (!currentUser) return;
  currentUser = u;
  emit();
}

export function setTokens(t: Tokens) {
  accessToken = t.access_token;
  accessExpiry = Date.now() + (t.expires_in || 900) * 1000;
  localStorage.setItem(REFRESH_KEY, t.refresh_token);
  currentUser = t.user;
  emit();
}

function clearTokens() {
  accessToken = null;
  accessExpiry = 0;
  currentUser = null;
  localStorage.removeItem(REFRESH_KEY);
  emit();
}

// Another tab logged out (or its refresh failed for good): this tab is logged out too.
window.addEventListener('storage', (e) => {
  if (e.key === REFRESH_KEY && !e.newValue && currentUser) {
    accessToken = null;
    accessExpiry = 0;
    currentUser = null;
    emit();
  }
});

export function hasStoredSession(): boolean {
  return !!localStorage.getItem(REFRESH_KEY);
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (navigator as any).locks;
  if (locks && typeof locks.request === 'function') return locks.request('wp-refresh', fn);
  return fn();
}

let refreshing: Promise<boolean> | null = null;

function postRefresh(rt: string): Promise<Response> {
  return fetch('/api/auth/refresh/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: rt }),
    credentials: 'omit',
  });
}

// localStorage is not strictly consistent between tabs: right after another tab rotated
// the token this tab may still read the old one. Wait a little for the new value.
async function storedTokenOtherThan(rt: string, waitMs = 3000): Promise<string | null> {
  for (let waited = 0; ; waited += 100) {
    const now = localStorage.getItem(REFRESH_KEY);
    if (now !== rt || waited >= waitMs) return now === rt ? null : now;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Rotates the refresh token; false when the session is gone (then logged out). */
export function refresh(): Promise<boolean> {
  if (!refreshing) {
    const before = accessToken;
    refreshing = withLock(async () => {
      if (accessToken && accessToken !== before) return true;
      let rt = localStorage.getItem(REFRESH_KEY);
      for (let attempt = 0; rt && attempt < 3; attempt++) {
        const res = await postRefresh(rt);
        if (res.ok) {
          setTokens(await res.json());
          return true;
        }
        // 409: the server saw this token used moments ago (another tab refreshed first);
        // 401 may mean the same if the other tab's rotation reached us only now.
        const newer = await storedTokenOtherThan(rt, res.status === 409 ? 3000 : 0);
        if (!newer) {
          if (res.status === 401) clearTokens();
          return false;
        }
        rt = newer;
      }
      return false;
    }).finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** A valid access token (refreshing it when it is about to expire), or null. */
export async function token(): Promise<string | null> {
  if (accessToken && Date.now() < accessExpiry - 30_000) return accessToken;
  if (!localStorage.getItem(REFRESH_KEY)) return accessToken;
  await refresh();
  return accessToken;
}

export interface RequestOpts {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  raw?: boolean;
  form?: FormData;
  headers?: Record<string, string>;
}

export async function api<T = any>(path: string, opts: RequestOpts = {}): Promise<T> {
  let url = path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers: Record<string, string> = { ...opts.headers };
    const t = await token();
    if (t) headers['Authorization'] = `Bearer ${t}`;
    let body: BodyInit | undefined;
    if (opts.form) body = opts.form;
    else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(url, { method: opts.method || 'GET', headers, body, credentials: 'omit' });
    if (res.status === 401 && attempt === 0 && localStorage.getItem(REFRESH_KEY) && !path.startsWith('/api/auth/')) {
      accessExpiry = 0;
      if (await refresh()) continue;
    }
    if (!res.ok) {
      let data: any = null;
      try {
        data = await res.json();
      } catch {
        /* not JSON */
      }
      const ra = res.headers.get('Retry-After');
      throw new ApiError(res.status, data, ra ? Number(ra) : null);
    }
    if (opts.raw) return res as unknown as T;
    if (res.status === 204) return null as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }
  throw new Error('unreachable');
}

export async function login(username: string, password: string): Promise<{ challenge?: string }> {
  const r = await api<any>('/api/auth/login/', { method: 'POST', body: { username, password } });
  if (r.two_factor_required) return { challenge: r.challenge_token };
  setTokens(r);
  return {};
}

export async function login2fa(challenge: string, code: string): Promise<void> {
  const recovery = !/^\d{6,8}$/.test(code.trim());
  const body: any = { challenge_token: challenge };
  if (recovery) body.recovery_code = code.trim();
  else body.code = code.trim();
  setTokens(await api<Tokens>('/api/auth/2fa/login/', { method: 'POST', body }));
}

export async function register(f: { username: string; email: string; password: string; first_name?: string; last_name?: string }) {
  setTokens(await api<Tokens>('/api/auth/register/', { method: 'POST', body: f }));
}

/** Asks for a password reset mail; the answer is the same whether or not the address is known. */
export async function forgotPassword(email: string): Promise<void> {
  await api('/api/auth/forgot-password/', { method: 'POST', body: { email } });
}

/** Sets a new password with a mailed token; the server ends every session of the account. */
export async function resetPassword(token: string, newPassword: string): Promise<void> {
  await api('/api/auth/reset-password/', { method: 'POST', body: { token, new_password: newPassword } });
}

/** Confirms an email address with a mailed token. */
export async function verifyEmail(token: string): Promise<void> {
  await api('/api/auth/verify-email/', { method: 'POST', body: { token } });
}

export async function logout(): Promise<void> {
  try {
    if (accessToken) await api('/api/auth/logout/', { method: 'POST' });
  } catch {
    /* the session may be gone already */
  }
  clearTokens();
}

/** On start: restore the session from the stored refresh token. */
export async function restore(): Promise<User | null> {
  if (!localStorage.getItem(REFRESH_KEY)) return null;
  const ok = await refresh();
  if (!ok) return null;
  return currentUser;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
