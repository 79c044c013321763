import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { NavLink, Outlet, useParams } from 'react-router-dom';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from '@charter/shared/collab';
import { api } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { RoleBadge, StatusBadge } from '../components/Badges';
import { LoadError, Loading } from '../components/FormError';
import { PresenceWatcher, presentUsers } from '../editor/presence';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { t } from '../i18n';
import { WorkspaceContext, type WorkspaceValue } from './workspace-context';

const CHARTER_REFRESH_MS = 10_000;
/** Longest the presence watchers wait for the open section's own connection. */
const WATCHER_HOLD_MS = 4_000;

/**
 * The frame of a charter's workspace (overview and section editor): loads the charter and its
 * members, keeps them fresh, and watches who is in each section.
 */
export default function WorkspacePage() {
  const { charterId = '' } = useParams();
  const { user } = useAuth();
  const charter = useResource(() => api.charter(charterId).then((r) => r.charter), [charterId]);
  const members = useResource(() => api.members(charterId), [charterId]);
  useDocumentTitle(charter.data?.title);

  // Rights change when the secretariat finalises, reopens or changes someone's role: keep the
  // charter fresh so that editors turn read-only (or writable) without a reload.
  const reloadCharter = charter.reload;
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === 'visible') void reloadCharter();
    };
    const timer = setInterval(tick, CHARTER_REFRESH_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [reloadCharter]);

  const presence = useSectionPresence(charterId, charter.data?.sections.map((s) => s.id) ?? []);

  if (charter.error && !charter.data) {
    return (
      <div className="page">
        <LoadError error={charter.error} onRetry={() => void charter.reload()} />
      </div>
    );
  }
  if (!charter.data || !user) return <Loading />;

  const c = charter.data;
  const value: WorkspaceValue = {
    charter: c,
    user,
    reloadCharter: charter.reload,
    members: members.data?.members,
    invitations: members.data?.invitations,
    reloadMembers: members.reload,
    presence: presence.map,
    setActiveAwareness: presence.setActive,
  };

  return (
    <WorkspaceContext.Provider value={value}>
      <div className="workspace">
        <div className="workspace__head">
          <p className="eyebrow">{t('workspace.eyebrow')}</p>
          <h1 className="workspace__title">{c.title}</h1>
          <p className="meta">
            <StatusBadge status={c.status} /> <RoleBadge role={c.role} />
          </p>
          <nav aria-label={t('workspace.navLabel')} className="tabs">
            <NavLink to={`/charters/${c.id}`} end>
              {t('workspace.tabOverview')}
            </NavLink>
            <NavLink to={`/charters/${c.id}/plenary`}>{t('workspace.tabPlenary')}</NavLink>
            {c.role === 'secretariat' ? (
              <>
                <NavLink to={`/charters/${c.id}/submissions`}>{t('workspace.tabSubmissions')}</NavLink>
                <NavLink to={`/charters/${c.id}/audit`}>{t('workspace.tabAudit')}</NavLink>
              </>
            ) : null}
          </nav>
        </div>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </div>
    </WorkspaceContext.Provider>
  );
}

/**
 * Who is in each section: the open section reports its own awareness; every other section gets
 * a light watcher that reads presence without downloading the text.
 */
function useSectionPresence(charterId: string, sectionIds: string[]) {
  const [active, setActiveState] = useState<{ sectionId: string; awareness: Awareness } | null>(null);
  const [map, setMap] = useState<Map<string, PresenceUser[]>>(new Map());
  const watchers = useRef(new Map<string, { watcher: PresenceWatcher; off: () => void }>());
  const key = sectionIds.join(',');

  const setActive = useCallback((sectionId: string | null, awareness: Awareness | null) => {
    setActiveState(sectionId && awareness ? { sectionId, awareness } : null);
  }, []);

  const publish = useCallback((sectionId: string, users: PresenceUser[]) => {
    setMap((prev) => {
      const next = new Map(prev);
      next.set(sectionId, users);
      return next;
    });
  }, []);

  // Browsers open one WebSocket to a host at a time: while the open section's own connection
  // is being made, the watchers wait, so the editor is not queued behind them (a few seconds
  // at most, in case that connection fails).
  const { sectionId: routedSectionId } = useParams();
  const [holdExpired, setHoldExpired] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setHoldExpired(true), WATCHER_HOLD_MS);
    return () => clearTimeout(timer);
  }, []);
  const holding = Boolean(routedSectionId) && active?.sectionId !== routedSectionId && !holdExpired;

  useEffect(() => {
    if (holding) return;
    const wanted = new Set(key ? key.split(',') : []);
    if (active) wanted.delete(active.sectionId);
    for (const [id, entry] of watchers.current) {
      if (!wanted.has(id)) {
        entry.off();
        entry.watcher.destroy();
        watchers.current.delete(id);
      }
    }
    for (const id of wanted) {
      if (watchers.current.has(id)) continue;
      const watcher = new PresenceWatcher(charterId, id);
      const update = () => publish(id, presentUsers(watcher.awareness));
      watcher.awareness.on('change', update);
      update();
      watchers.current.set(id, { watcher, off: () => watcher.awareness.off('change', update) });
    }
  }, [charterId, key, active, publish, holding]);

  useEffect(() => {
    if (!active) return;
    const update = () => publish(active.sectionId, presentUsers(active.awareness));
    update();
    active.awareness.on('change', update);
    return () => active.awareness.off('change', update);
  }, [active, publish]);

  useEffect(() => {
    const current = watchers.current;
    return () => {
      for (const entry of current.values()) {
        entry.off();
        entry.watcher.destroy();
      }
      current.clear();
    };
  }, [charterId]);

  return useMemo(() => ({ map, setActive }), [map, setActive]);
}
