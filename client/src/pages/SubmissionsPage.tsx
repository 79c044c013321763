import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import { api, urls } from '../api/endpoints';
import { SUBMISSION_STATUSES, type Submission, type SubmissionStatus, type Version } from '../api/types';
import { SelectField, TextArea, TextField } from '../components/Fields';
import { FormError, LoadError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { formatDate, t, tn } from '../i18n';
import { CharterFrame } from './CharterFrame';

/** Regional bodies forums commonly submit to, offered as suggestions (any name may be typed). */
const RECIPIENT_SUGGESTIONS = [
  'African Union Commission',
  'African Commission on Human and Peoples’ Rights',
  'East African Community (EAC) Secretariat',
  'Intergovernmental Authority on Development (IGAD)',
  'Southern African Development Community (SADC) Secretariat',
  'ASEAN Secretariat',
  'ASEAN Intergovernmental Commission on Human Rights (AICHR)',
  'ASEAN Commission on the Promotion and Protection of the Rights of Women and Children (ACWC)',
  'Bali Process Regional Support Office',
];

export default function SubmissionsPage() {
  const { charterId = '' } = useParams();
  const data = useResource(async () => {
    const [{ charter }, { versions }, { submissions }] = await Promise.all([
      api.charter(charterId),
      api.versions(charterId),
      api.submissions(charterId),
    ]);
    return { charter, versions, submissions };
  }, [charterId]);
  useDocumentTitle(t('submissions.title'));

  if (data.error) {
    return (
      <div className="page">
        <LoadError error={data.error} onRetry={() => void data.reload()} />
      </div>
    );
  }
  if (!data.data) return <Loading />;
  const { charter, versions, submissions } = data.data;
  const byVersion = new Map(versions.map((v) => [v.id, v]));
  const sorted = [...submissions].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));

  return (
    <CharterFrame charter={charter} title={t('submissions.title')}>
      <p className="lead">{t('submissions.intro')}</p>
      {charter.role === 'secretariat' ? (
        <RecordForm versions={versions} onRecorded={(s) => data.setData((prev) => ({ ...prev!, submissions: [s, ...prev!.submissions] }))} />
      ) : null}
      <section aria-labelledby="submissions-list" className="section-block">
        <h2 id="submissions-list">{t('submissions.listTitle')}</h2>
        {sorted.length === 0 ? (
          <p className="empty">{t('submissions.empty')}</p>
        ) : (
          <ul className="card-list">
            {sorted.map((s) => (
              <SubmissionRow
                key={s.id}
                submission={s}
                version={byVersion.get(s.versionId)}
                canEdit={charter.role === 'secretariat'}
                onChange={(next) => data.setData((prev) => ({ ...prev!, submissions: prev!.submissions.map((x) => (x.id === next.id ? next : x)) }))}
              />
            ))}
          </ul>
        )}
      </section>
    </CharterFrame>
  );
}

function RecordForm({ versions, onRecorded }: { versions: Version[]; onRecorded: (s: Submission) => void }) {
  const sortedVersions = [...versions].sort((a, b) => b.number - a.number);
  const [versionId, setVersionId] = useState(sortedVersions[0]?.id ?? '');
  const [recipient, setRecipient] = useState('');
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [notes, setNotes] = useState('');
  const [done, setDone] = useState<Submission | null>(null);

  const record = useAction(async () => {
    const { submission } = await api.recordSubmission(versionId, {
      recipient,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(date ? { submittedAt: new Date(`${date}T12:00:00Z`).toISOString() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    });
    onRecorded(submission);
    setDone(submission);
    setRecipient('');
    setReference('');
    setNotes('');
  });

  if (sortedVersions.length === 0) return <p className="notice notice--info">{t('submissions.noVersions')}</p>;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void record.run();
  };
  return (
    <section className="card" aria-labelledby="record-title">
      <h2 id="record-title">{t('submissions.recordTitle')}</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError error={record.error} shownFields={['recipient', 'reference', 'submittedAt', 'notes']} />
        <SelectField label={t('submissions.version')} value={versionId} onChange={setVersionId}>
          {sortedVersions.map((v) => (
            <option key={v.id} value={v.id}>
              {t('versions.versionN', { number: v.number })}
              {v.label ? ` · ${v.label}` : ''} ({formatDate(v.createdAt)})
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('submissions.recipient')}
          list="recipient-suggestions"
          required
          value={recipient}
          onChange={setRecipient}
          error={record.fieldErrors.recipient}
          hint={t('submissions.recipientHint')}
        />
        <datalist id="recipient-suggestions">
          {RECIPIENT_SUGGESTIONS.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        <TextField label={t('submissions.reference')} optional value={reference} onChange={setReference} error={record.fieldErrors.reference} />
        <TextField label={t('submissions.date')} type="date" value={date} onChange={setDate} error={record.fieldErrors.submittedAt} />
        <TextArea label={t('submissions.notes')} optional rows={3} value={notes} onChange={setNotes} error={record.fieldErrors.notes} />
        <p className="field__hint">{t('submissions.recordHint')}</p>
        <button type="submit" className="button button--primary" disabled={record.busy}>
          {record.busy ? t('submissions.recording') : t('submissions.record')}
        </button>
      </form>
      <div aria-live="polite">{done ? <p className="notice notice--success">{t('submissions.recorded', { recipient: done.recipient })}</p> : null}</div>
    </section>
  );
}

function SubmissionRow({
  submission: s,
  version,
  canEdit,
  onChange,
}: {
  submission: Submission;
  version: Version | undefined;
  canEdit: boolean;
  onChange: (s: Submission) => void;
}) {
  const [status, setStatus] = useState<SubmissionStatus>(s.status);
  const update = useAction(async (next: SubmissionStatus) => {
    const { submission } = await api.updateSubmission(s.id, { status: next });
    onChange(submission);
  });
  return (
    <li className="card submission">
      <h3>
        {s.recipient} <span className={`badge badge--${s.status}`}>{t(`submission.status.${s.status}`)}</span>
      </h3>
      <dl className="facts facts--inline">
        <div>
          <dt>{t('submissions.version')}</dt>
          <dd>{version ? t('versions.versionN', { number: version.number }) : s.versionNumber ? t('versions.versionN', { number: s.versionNumber }) : '—'}</dd>
        </div>
        <div>
          <dt>{t('submissions.date')}</dt>
          <dd>{formatDate(s.submittedAt)}</dd>
        </div>
        {s.reference ? (
          <div>
            <dt>{t('submissions.reference')}</dt>
            <dd>{s.reference}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('submissions.signons')}</dt>
          <dd>{tn('signatories.organisations', s.signonCount)}</dd>
        </div>
        <div>
          <dt>{t('submissions.fingerprint')}</dt>
          <dd className="hash" title={s.docxSha256}>
            {s.docxSha256.slice(0, 16)}…
          </dd>
        </div>
      </dl>
      {s.notes ? <p className="muted">{s.notes}</p> : null}
      <div className="submission__actions">
        {canEdit ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void update.run(status);
            }}
          >
            <SelectField label={t('submissions.status')} value={status} onChange={(v) => setStatus(v as SubmissionStatus)}>
              {SUBMISSION_STATUSES.map((st) => (
                <option key={st} value={st}>
                  {t(`submission.status.${st}`)}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="button button--small button--secondary" disabled={update.busy || status === s.status}>
              {t('submissions.updateStatus')}
            </button>
          </form>
        ) : null}
        <a className="button button--small button--secondary" href={urls.submissionDocx(s.id)} download>
          {t('submissions.download')}
        </a>
      </div>
      <FormError error={update.error} />
      {canEdit ? (
        <p className="muted" aria-live="polite">
          {t('submissions.currentStatus', { status: t(`submission.status.${s.status}`) })}
        </p>
      ) : null}
    </li>
  );
}
