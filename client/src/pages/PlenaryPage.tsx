import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { CONTENT_FIELD } from '@charter/shared/collab';
import { api } from '../api/endpoints';
import type { DocNode, Section } from '../api/types';
import { StatusBadge } from '../components/Badges';
import { DocRenderer } from '../components/DocRenderer';
import { LoadError, Loading } from '../components/FormError';
import { CollabConnection } from '../editor/collab';
import { useCollabState } from '../editor/hooks';
import { fragmentToDoc } from '../editor/ydoc-json';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { t } from '../i18n';

const SIZES = ['normal', 'large', 'huge'] as const;

/**
 * The whole charter as one continuous document that follows the drafting live: for reading
 * together in plenary, projecting on a wall, and printing.
 */
export default function PlenaryPage() {
  const { charterId = '' } = useParams();
  const charter = useResource(() => api.charter(charterId).then((r) => r.charter), [charterId]);
  useDocumentTitle(charter.data ? t('plenary.docTitle', { title: charter.data.title }) : undefined);
  const [size, setSize] = useState<(typeof SIZES)[number]>('normal');

  // Keep the status (drafting / finalised) current while the plenary reads.
  const reload = charter.reload;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, 15_000);
    return () => clearInterval(timer);
  }, [reload]);

  if (charter.error && !charter.data) {
    return (
      <div className="page">
        <LoadError error={charter.error} onRetry={() => void charter.reload()} />
      </div>
    );
  }
  if (!charter.data) return <Loading />;
  const c = charter.data;
  const sections = [...c.sections].sort((a, b) => a.position - b.position);

  return (
    <div className={`plenary plenary--${size}`}>
      <div className="plenary__tools no-print">
        <Link to={`/charters/${c.id}`}>← {t('plenary.back')}</Link>
        <div className="button-row" role="group" aria-label={t('plenary.textSize')}>
          {SIZES.map((s) => (
            <button key={s} type="button" className="button button--small button--secondary" aria-pressed={size === s} onClick={() => setSize(s)}>
              {t(`plenary.size.${s}`)}
            </button>
          ))}
          <button type="button" className="button button--small button--primary" onClick={() => window.print()}>
            {t('plenary.print')}
          </button>
        </div>
      </div>
      <article className="plenary__doc">
        <header className="plenary__header">
          <h1>{c.title}</h1>
          <p className="meta">
            <StatusBadge status={c.status} /> <span className="no-print">{t('plenary.live')}</span>
          </p>
          {c.description ? <p className="lead">{c.description}</p> : null}
          <nav aria-label={t('plenary.contents')} className="plenary__toc no-print">
            <ol>
              {sections.map((s) => (
                <li key={s.id}>
                  <a href={`#section-${s.id}`}>{s.title}</a>
                </li>
              ))}
            </ol>
          </nav>
        </header>
        {sections.map((s, i) => (
          <LiveSection key={s.id} charterId={c.id} section={s} number={i + 1} />
        ))}
      </article>
    </div>
  );
}

function LiveSection({ charterId, section, number }: { charterId: string; section: Section; number: number }) {
  const [conn, setConn] = useState<CollabConnection | null>(null);
  useEffect(() => {
    const c = new CollabConnection(charterId, section.id, null);
    setConn(c);
    return () => {
      setConn(null);
      c.destroy();
    };
  }, [charterId, section.id]);
  const state = useCollabState(conn);
  const [doc, setDoc] = useState<DocNode | null>(null);

  useEffect(() => {
    if (!conn) return;
    const fragment = conn.doc.getXmlFragment(CONTENT_FIELD);
    let frame = 0;
    const render = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setDoc(fragmentToDoc(fragment)));
    };
    conn.doc.on('update', render);
    if (conn.getState().synced) render();
    return () => {
      cancelAnimationFrame(frame);
      conn.doc.off('update', render);
    };
  }, [conn]);

  return (
    <section className="plenary__section" id={`section-${section.id}`} aria-labelledby={`title-${section.id}`}>
      <h2 id={`title-${section.id}`}>
        {number}. {section.title}
      </h2>
      {state.phase !== 'connected' && state.synced ? (
        <p className="collab-status collab-status--warn no-print" role="status">
          {state.phase === 'refused' ? t('collab.refused') : t('collab.reconnecting')}
        </p>
      ) : null}
      {doc ? <DocRenderer doc={doc} headingOffset={1} /> : state.phase === 'refused' ? <p className="muted">{t('collab.refused')}</p> : <Loading label={t('section.loadingText')} />}
    </section>
  );
}
