import type { LoginResult } from '../api/types';

const KEY = 'hotline.session';

/** The login kept for this browser tab only (sessionStorage). */
export function loadSession(): LoginResult | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as LoginResult;
    return typeof s.token === 'string' && s.user ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: LoginResult | null): void {
  try {
    if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
    else sessionStorage.removeItem(KEY);
  } catch {
    // private mode: the session lasts until reload
  }
}
