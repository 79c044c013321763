import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, NavLink, useParams } from 'react-router-dom';
import { CloseCode, type PresenceUser } from '@charter/shared/collab';
import { LoadError, Loading } from '../components/FormError';
import { PresenceDots, PresenceList } from '../components/PresenceList';
import { ApiError } from '../api/client';
import { CollabConnection, type CollabState } from '../editor/collab';
import { colorFor } from '../editor/colors';
import { useCollabState, usePresence } from '../editor/hooks';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { t } from '../i18n';
import { canEditSection, useWorkspace } from './workspace-context';

const SectionEditor = lazy(() => import('../editor/SectionEditor'));

export default function SectionPage() {
  const { sectionId = '' } = useParams();
  const { charter, user, presence, setActiveAwareness } = useWorkspace();
  const sections = useMemo(() => [...charter.sections].sort((a, b) => a.position - b.position), [charter.sections]);
  const section = sections.find((s) => s.id === sectionId);
  useDocumentTitle(section ? `${section.title} · ${charter.title}` : charter.title);

  const me: PresenceUser = useMemo(
    () => ({
      id: user.id,
      name: user.name,
      organisation: user.organisation ? user.organisation.acronym || user.organisation.name : null,
      color: colorFor(user.id),
    }),
    [user.id, user.name, user.organisation],
  );

  // On a phone the list of sections starts folded, so the text comes first.
  const [navOpen] = useState(() => typeof window.matchMedia !== 'function' || window.matchMedia('(min-width: 56rem)').matches);
  const [conn, setConn] = useState<CollabConnection | null>(null);
  useEffect(() => {
    if (!section) return;
    const c = new CollabConnection(charter.id, section.id, me);
    setConn(c);
    // Announced once synced: the workspace holds other sections' presence sockets back until
    // then, so this one is not queued behind them.
    let announced = false;
    const announce = () => {
      if (announced || !c.getState().synced) return;
      announced = true;
      setActiveAwareness(section.id, c.provider.awareness);
    };
    const offState = c.subscribe(announce);
    announce();
    return () => {
      offState();
      setActiveAwareness(null, null);
      setConn(null);
      c.destroy();
    };
    // The connection lives as long as the person stays in this section.
  }, [charter.id, section?.id, me]);

  const state = useCollabState(conn);
  const here = usePresence(conn?.provider.awareness ?? null);
  const editable = section ? canEditSection(charter, section.id) : false;

  // Warn before closing the tab while edits are still on their way to the server.
  useEffect(() => {
    if (!state.pending) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [state.pending]);

  if (!section) {
    return <LoadError error={new ApiError(404, 'not_found', t('section.notFound'))} />;
  }
  const index = sections.indexOf(section);

  return (
    <div className="section-layout">
      <aside className="section-nav" aria-labelledby="section-nav-title">
        <details className="section-nav__details" open={navOpen}>
          <summary id="section-nav-title">{t('section.allSections', { count: sections.length })}</summary>
          <ol>
            {sections.map((s, i) => (
              <li key={s.id}>
                <NavLink to={`/charters/${charter.id}/sections/${s.id}`} aria-current={s.id === section.id ? 'page' : undefined}>
                  <span className="section-nav__num">{i + 1}.</span> <span className="section-nav__title">{s.title}</span>
                  <PresenceDots users={presence.get(s.id) ?? []} max={3} />
                </NavLink>
              </li>
            ))}
          </ol>
        </details>
      </aside>
      <div className="section-main">
        <p className="eyebrow">{t('section.numberOf', { n: index + 1, count: sections.length })}</p>
        <h2 className="section-main__title">{section.title}</h2>
        {section.guidance ? <p className="guidance">{section.guidance}</p> : null}
        <ConnectionStatus state={state} editable={editable} />
        {!editable ? <p className="notice notice--info">{readOnlyReason(charter.status, charter.role)}</p> : null}
        <div className="section-main__grid">
          <div className="section-main__editor">
            {state.phase === 'refused' ? (
              <RefusedNotice code={state.closeCode} />
            ) : conn && state.synced ? (
              <Suspense fallback={<Loading label={t('section.loadingEditor')} />}>
                <SectionEditor conn={conn} user={me} editable={editable} label={t('section.editorLabel', { title: section.title })} />
              </Suspense>
            ) : (
              <Loading label={t('section.loadingText')} />
            )}
          </div>
          <PresenceList users={here} selfId={user.id} />
        </div>
        <nav className="pager" aria-label={t('section.pager')}>
          {index > 0 ? (
            <Link to={`/charters/${charter.id}/sections/${sections[index - 1]!.id}`}>← {sections[index - 1]!.title}</Link>
          ) : (
            <span />
          )}
          {index < sections.length - 1 ? (
            <Link to={`/charters/${charter.id}/sections/${sections[index + 1]!.id}`}>{sections[index + 1]!.title} →</Link>
          ) : null}
        </nav>
      </div>
    </div>
  );
}

function readOnlyReason(status: string, role: string): string {
  if (status === 'finalised') return t('section.readOnlyFinalised');
  if (role === 'observer') return t('section.readOnlyObserver');
  return t('section.readOnlyNotAssigned');
}

/** The connection in plain words: connected / reconnecting / offline, and whether all is saved. */
function ConnectionStatus({ state, editable }: { state: CollabState; editable: boolean }) {
  let text: string;
  let tone: 'ok' | 'busy' | 'warn';
  switch (state.phase) {
    case 'connected':
      if (!state.synced) {
        text = t('collab.connecting');
        tone = 'busy';
      } else if (!editable) {
        text = t('collab.connectedReadOnly');
        tone = 'ok';
      } else if (state.pending) {
        text = t('collab.saving');
        tone = 'busy';
      } else {
        text = t('collab.saved');
        tone = 'ok';
      }
      break;
    case 'connecting':
      text = t('collab.connecting');
      tone = 'busy';
      break;
    case 'reconnecting':
      text = state.pending ? t('collab.reconnectingPending') : t('collab.reconnecting');
      tone = 'warn';
      break;
    case 'offline':
      text = state.pending ? t('collab.offlinePending') : t('collab.offline');
      tone = 'warn';
      break;
    default:
      text = t('collab.refused');
      tone = 'warn';
  }
  return (
    <p className={`collab-status collab-status--${tone}`} role="status" data-phase={state.phase} data-saved={state.phase === 'connected' && state.synced && !state.pending ? 'true' : 'false'}>
      <span className="collab-status__dot" aria-hidden="true" />
      {text}
    </p>
  );
}

function RefusedNotice({ code }: { code: number | undefined }) {
  const message =
    code === CloseCode.unauthorized ? t('collab.refusedSession') : code === CloseCode.forbidden ? t('collab.refusedForbidden') : t('collab.refusedNotFound');
  return (
    <div className="notice notice--error" role="alert">
      <p>{message}</p>
      {code === CloseCode.unauthorized ? <Link to="/login">{t('nav.signIn')}</Link> : null}
    </div>
  );
}
