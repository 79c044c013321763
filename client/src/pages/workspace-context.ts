import { createContext, useContext } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from '@charter/shared/collab';
import type { Charter, Member, PendingInvitation, User } from '../api/types';

export interface WorkspaceValue {
  charter: Charter;
  user: User;
  reloadCharter: () => Promise<void>;
  members: Member[] | undefined;
  invitations: PendingInvitation[] | undefined;
  reloadMembers: () => Promise<void>;
  /** Who is in each section right now (section id → people). */
  presence: Map<string, PresenceUser[]>;
  /** The open section's own awareness, used instead of a separate watcher for it. */
  setActiveAwareness: (sectionId: string | null, awareness: Awareness | null) => void;
}

export const WorkspaceContext = createContext<WorkspaceValue | undefined>(undefined);

export function useWorkspace(): WorkspaceValue {
  const ctx = useContext(WorkspaceContext);
  if (!ctx) throw new Error('useWorkspace outside WorkspacePage');
  return ctx;
}

/** Whether this person may write in a section, mirroring what the server enforces. */
export function canEditSection(charter: Charter, sectionId: string): boolean {
  if (charter.status !== 'drafting') return false;
  if (charter.role === 'secretariat') return true;
  if (charter.role !== 'drafter') return false;
  const assigned = charter.assignedSectionIds ?? [];
  return assigned.length === 0 || assigned.includes(sectionId);
}
