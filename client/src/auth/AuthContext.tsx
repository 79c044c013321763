import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, sessionEndedListeners } from '../api/client';
import { connectivity } from '../api/connectivity';
import { api } from '../api/endpoints';
import type { User } from '../api/types';

interface AuthState {
  /** undefined while the session is being checked; null when nobody is signed in. */
  user: User | null | undefined;
  setUser: (user: User | null) => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  const check = useCallback(async () => {
    try {
      const { user } = await api.me();
      setUser(user);
    } catch (err) {
      if (err instanceof ApiError && err.isNetwork) {
        // Keep waiting: the connection banner shows, and the check runs again when it is back.
        return;
      }
      setUser(null);
    }
  }, []);

  useEffect(() => {
    const ended = () => setUser(null);
    sessionEndedListeners.add(ended);
    return () => {
      sessionEndedListeners.delete(ended);
    };
  }, []);

  useEffect(() => {
    void check();
    return connectivity.subscribe((online) => {
      if (online) void check();
    });
  }, [check]);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, setUser, signOut }), [user, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
