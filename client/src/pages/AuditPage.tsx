import { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { AuditEvent } from '../api/types';
import { SelectField, TextField } from '../components/Fields';
import { LoadError, Loading } from '../components/FormError';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { actionLabel, formatDateTime, roleLabel, t, tn } from '../i18n';
import { CharterFrame } from './CharterFrame';

export default function AuditPage() {
  const { charterId = '' } = useParams();
  const data = useResource(async () => {
    const [{ charter }, { events }] = await Promise.all([api.charter(charterId), api.audit(charterId)]);
    return { charter, events };
  }, [charterId]);
  useDocumentTitle(t('audit.title'));
  const [action, setAction] = useState('');
  const [query, setQuery] = useState('');

  const events = data.data?.events;
  const actions = useMemo(() => [...new Set((events ?? []).map((e) => e.action))].sort(), [events]);
  const shown = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return [...(events ?? [])]
      .filter((e) => !action || e.action === action)
      .filter((e) => !q || `${e.actor?.name ?? ''} ${e.subject ?? ''} ${actionLabel(e.action)}`.toLocaleLowerCase().includes(q))
      .sort((a, b) => b.at.localeCompare(a.at));
  }, [events, action, query]);

  if (data.error) {
    return (
      <div className="page">
        <LoadError error={data.error} onRetry={() => void data.reload()} />
      </div>
    );
  }
  if (!data.data) return <Loading />;

  return (
    <CharterFrame charter={data.data.charter} title={t('audit.title')}>
      <p className="lead">{t('audit.intro')}</p>
      <div className="filters card" role="search">
        <SelectField label={t('audit.filterAction')} value={action} onChange={setAction}>
          <option value="">{t('audit.allActions')}</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </SelectField>
        <TextField label={t('audit.search')} type="search" value={query} onChange={setQuery} />
      </div>
      <p aria-live="polite" className="muted">
        {tn('audit.count', shown.length)}
      </p>
      <ol className="audit-list">
        {shown.map((e, i) => (
          <li key={`${e.at}-${i}`} className="audit-item">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <p>
              <strong>{e.actor?.name ?? t('audit.system')}</strong> · <span className="audit-item__action">{actionLabel(e.action)}</span>
              {e.subject ? (
                <>
                  {': '}
                  <span className="audit-item__subject">{e.subject}</span>
                </>
              ) : null}
            </p>
            <Details details={e.details} />
          </li>
        ))}
      </ol>
    </CharterFrame>
  );
}

/** A few well-known detail fields in words; the rest as "key: value". */
function Details({ details }: { details: AuditEvent['details'] }) {
  if (!details || typeof details !== 'object') return null;
  const entries = Object.entries(details as Record<string, unknown>).filter(
    ([k, v]) => v !== null && v !== undefined && v !== '' && !/Id$|^id$|Ids$/.test(k) && !(Array.isArray(v) && v.length === 0),
  );
  if (entries.length === 0) return null;
  return (
    <p className="audit-item__details muted">
      {entries.map(([k, v], i) => (
        <span key={k}>
          {i > 0 ? ' · ' : ''}
          {k}: {describe(k, v)}
        </span>
      ))}
    </p>
  );
}

function describe(key: string, value: unknown): string {
  if (key === 'role' && typeof value === 'string') return roleLabel(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.role === 'string') return roleLabel(v.role);
    return JSON.stringify(value);
  }
  return '';
}
