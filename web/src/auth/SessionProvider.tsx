import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { post, setToken, setUnauthorizedHandler } from '../api/client';
import type { LoginResult, SessionUser } from '../api/types';
import { loadSession, saveSession } from './session-storage';

interface Session {
  token: string | null;
  user: SessionUser | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<LoginResult | null>(() => {
    const s = loadSession();
    setToken(s?.token ?? null);
    return s;
  });

  const drop = useCallback(() => {
    setToken(null);
    saveSession(null);
    setSession(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(drop);
    return () => setUnauthorizedHandler(null);
  }, [drop]);

  const login = useCallback(async (username: string, password: string) => {
    const res = await post<LoginResult>('/auth/login', { username, password });
    setToken(res.token);
    saveSession(res);
    setSession(res);
  }, []);

  const logout = useCallback(() => {
    // Revoke on the server; the local session goes regardless.
    post('/auth/logout')
      .catch(() => undefined)
      .finally(drop);
  }, [drop]);

  const value = useMemo<Session>(
    () => ({ token: session?.token ?? null, user: session?.user ?? null, login, logout }),
    [session, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
