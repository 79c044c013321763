import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from '@charter/shared/collab';
import type { CollabConnection, CollabState } from './collab';
import { presentUsers } from './presence';

const IDLE: CollabState = { phase: 'connecting', synced: false, pending: false, closeCode: undefined };

/** The live connection state of a section, re-rendering on every change. */
export function useCollabState(conn: CollabConnection | null): CollabState {
  return useSyncExternalStore(
    (fn) => (conn ? conn.subscribe(fn) : () => {}),
    () => (conn ? conn.getState() : IDLE),
    () => IDLE,
  );
}

/** People present in an awareness instance, kept current. */
export function usePresence(awareness: Awareness | null | undefined, exceptSelf = false): PresenceUser[] {
  const [users, setUsers] = useState<PresenceUser[]>([]);
  useEffect(() => {
    if (!awareness) {
      setUsers([]);
      return;
    }
    const update = () => setUsers(presentUsers(awareness, exceptSelf ? awareness.clientID : undefined));
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness, exceptSelf]);
  return users;
}
