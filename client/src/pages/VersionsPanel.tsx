import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Version } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextField } from '../components/Fields';
import { LoadError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useResource } from '../hooks/useResource';
import { formatDateTime, t } from '../i18n';
import { useWorkspace } from './workspace-context';

export function VersionsPanel() {
  const { charter, reloadCharter } = useWorkspace();
  const versions = useResource(() => api.versions(charter.id).then((r) => r.versions), [charter.id, charter.status]);
  const isSecretariat = charter.role === 'secretariat';
  const [finaliseOpen, setFinaliseOpen] = useState(false);
  const [reopenOpen, setReopenOpen] = useState(false);
  const [label, setLabel] = useState('');
  const [justFinalised, setJustFinalised] = useState<Version | null>(null);

  const finalise = useAction(async () => {
    const { version } = await api.finalise(charter.id, label.trim() ? { label: label.trim() } : {});
    setFinaliseOpen(false);
    setLabel('');
    setJustFinalised(version);
    await reloadCharter();
    await versions.reload();
  });
  const reopen = useAction(async () => {
    await api.reopen(charter.id);
    setReopenOpen(false);
    setJustFinalised(null);
    await reloadCharter();
  });

  const list = [...(versions.data ?? [])].sort((a, b) => b.number - a.number);
  const nextNumber = (list[0]?.number ?? 0) + 1;

  return (
    <section aria-labelledby="versions-title" className="section-block">
      <h2 id="versions-title">{t('versions.title')}</h2>
      {isSecretariat ? (
        <div className="card">
          {charter.status === 'drafting' ? (
            <>
              <p>{t('versions.finaliseIntro')}</p>
              <button
                type="button"
                className="button button--primary"
                onClick={() => {
                  finalise.reset();
                  setFinaliseOpen(true);
                }}
              >
                {t('versions.finalise')}
              </button>
            </>
          ) : (
            <>
              <p>{t('versions.reopenIntro')}</p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  reopen.reset();
                  setReopenOpen(true);
                }}
              >
                {t('versions.reopen')}
              </button>
            </>
          )}
        </div>
      ) : null}
      <div aria-live="polite">
        {justFinalised ? (
          <p className="notice notice--success">
            {t('versions.finalisedDone', { number: justFinalised.number })}{' '}
            <Link to={`/versions/${justFinalised.id}`}>{t('versions.openSignOn')}</Link>
          </p>
        ) : null}
      </div>
      {versions.error ? (
        <LoadError error={versions.error} onRetry={() => void versions.reload()} />
      ) : !versions.data ? (
        <Loading />
      ) : list.length === 0 ? (
        <p className="empty">{t('versions.empty')}</p>
      ) : (
        <ul className="version-list">
          {list.map((v) => (
            <li key={v.id} className="card version-item">
              <h3>
                <Link to={`/versions/${v.id}`}>{t('versions.versionN', { number: v.number })}</Link>
                {v.label ? <span className="muted"> · {v.label}</span> : null}
              </h3>
              <p className="meta">
                {t('versions.finalisedOn', { date: formatDateTime(v.createdAt) })} ·{' '}
                <span className="hash" title={v.sha256}>
                  {t('versions.fingerprintShort', { hash: v.sha256.slice(0, 12) })}
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}

      <ConfirmDialog
        open={finaliseOpen}
        title={t('versions.finaliseTitle', { number: nextNumber })}
        confirmLabel={finalise.busy ? t('versions.finalising') : t('versions.finaliseConfirm', { number: nextNumber })}
        busy={finalise.busy}
        error={finalise.error}
        onConfirm={() => void finalise.run()}
        onClose={() => setFinaliseOpen(false)}
      >
        <p>{t('versions.finaliseExplain1', { number: nextNumber })}</p>
        <ul>
          <li>{t('versions.finaliseExplain2')}</li>
          <li>{t('versions.finaliseExplain3')}</li>
          <li>{t('versions.finaliseExplain4', { number: nextNumber })}</li>
        </ul>
        <TextField label={t('versions.labelField')} optional hint={t('versions.labelHint')} value={label} onChange={setLabel} error={finalise.fieldErrors.label} />
      </ConfirmDialog>
      <ConfirmDialog
        open={reopenOpen}
        title={t('versions.reopenTitle')}
        confirmLabel={t('versions.reopenConfirm')}
        busy={reopen.busy}
        error={reopen.error}
        onConfirm={() => void reopen.run()}
        onClose={() => setReopenOpen(false)}
      >
        <p>{t('versions.reopenExplain')}</p>
      </ConfirmDialog>
    </section>
  );
}
