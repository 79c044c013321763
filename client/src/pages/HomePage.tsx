import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import { RoleBadge, StatusBadge } from '../components/Badges';
import { TextArea, TextField } from '../components/Fields';
import { FormError, LoadError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { formatDate, t, tn } from '../i18n';

export default function HomePage() {
  useDocumentTitle(t('home.title'));
  const charters = useResource(() => api.charters().then((r) => r.charters), []);
  const templates = useResource(() => api.templates().then((r) => r.templates), []);
  const navigate = useNavigate();

  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [templateId, setTemplateId] = useState<string>('');
  const chosen = useRef(false);
  // Most forums start from a template: preselect the first one until the person picks.
  useEffect(() => {
    const first = templates.data?.[0];
    if (first && !chosen.current) setTemplateId(first.id);
  }, [templates.data]);
  const choose = (id: string) => {
    chosen.current = true;
    setTemplateId(id);
  };

  const create = useAction(async () => {
    const { charter } = await api.createCharter({
      title,
      ...(description.trim() ? { description } : {}),
      templateId: templateId || null,
    });
    navigate(`/charters/${charter.id}`);
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };

  return (
    <div className="page">
      <h1>{t('home.title')}</h1>
      <section aria-labelledby="my-charters">
        <h2 id="my-charters" className="visually-hidden">
          {t('home.title')}
        </h2>
        {charters.error ? (
          <LoadError error={charters.error} onRetry={() => void charters.reload()} />
        ) : !charters.data ? (
          <Loading />
        ) : charters.data.length === 0 ? (
          <p className="empty">{t('home.empty')}</p>
        ) : (
          <ul className="card-list">
            {charters.data.map((c) => (
              <li key={c.id} className="card card--link">
                <h3>
                  <Link to={`/charters/${c.id}`}>{c.title}</Link>
                </h3>
                <p className="meta">
                  <StatusBadge status={c.status} /> <RoleBadge role={c.role} />{' '}
                  <span>{tn('home.sectionCount', c.sections.length)}</span> · <span>{t('home.created', { date: formatDate(c.createdAt) })}</span>
                </p>
                {c.description ? <p className="clamp">{c.description}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="create-charter" className="section-block">
        <h2 id="create-charter">{t('home.createTitle')}</h2>
        <p className="muted">{t('home.createIntro')}</p>
        <form onSubmit={onSubmit} noValidate className="card form">
          <FormError error={create.error} shownFields={['title', 'description', 'templateId']} />
          <TextField label={t('field.charterTitle')} required value={title} onChange={setTitle} error={create.fieldErrors.title} />
          <TextArea
            label={t('field.description')}
            optional
            rows={3}
            value={description}
            onChange={setDescription}
            error={create.fieldErrors.description}
          />
          <fieldset className="fieldset">
            <legend>{t('home.templateLegend')}</legend>
            {templates.error ? <LoadError error={templates.error} onRetry={() => void templates.reload()} /> : null}
            <div className="template-grid">
              {(templates.data ?? []).map((tpl) => (
                <label key={tpl.id} className={`template-option${templateId === tpl.id ? ' is-selected' : ''}`}>
                  <input type="radio" name="template" value={tpl.id} checked={templateId === tpl.id} onChange={() => choose(tpl.id)} />
                  <span className="template-option__body">
                    <strong>{tpl.title}</strong>
                    <span className="muted">{tpl.description}</span>
                    <span className="template-option__sections">{t('home.templateSections')}</span>
                    <ol className="compact-list">
                      {tpl.sections.map((s) => (
                        <li key={s.key}>{s.title}</li>
                      ))}
                    </ol>
                  </span>
                </label>
              ))}
              <label className={`template-option${templateId === '' ? ' is-selected' : ''}`}>
                <input type="radio" name="template" value="" checked={templateId === ''} onChange={() => choose('')} />
                <span className="template-option__body">
                  <strong>{t('home.blankTitle')}</strong>
                  <span className="muted">{t('home.blankBody')}</span>
                </span>
              </label>
            </div>
            {create.fieldErrors.templateId ? <p className="field__error">{create.fieldErrors.templateId}</p> : null}
          </fieldset>
          <button type="submit" className="button button--primary" disabled={create.busy}>
            {create.busy ? t('home.creating') : t('home.create')}
          </button>
        </form>
      </section>
    </div>
  );
}
