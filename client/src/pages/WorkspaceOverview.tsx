import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { Section } from '../api/types';
import { TextField } from '../components/Fields';
import { FormError } from '../components/FormError';
import { ForItem } from '../components/ForItem';
import { PresenceDots } from '../components/PresenceList';
import { useAction } from '../hooks/useAction';
import { t, tn } from '../i18n';
import { MembersPanel } from './MembersPanel';
import { VersionsPanel } from './VersionsPanel';
import { canEditSection, useWorkspace } from './workspace-context';

export default function WorkspaceOverview() {
  const { charter } = useWorkspace();
  return (
    <div className="overview">
      <div className="overview__main">
        {charter.description ? <p className="lead">{charter.description}</p> : null}
        <RightsNotice />
        <SectionsPanel />
      </div>
      <div className="overview__side">
        <VersionsPanel />
        <MembersPanel />
      </div>
    </div>
  );
}

function RightsNotice() {
  const { charter } = useWorkspace();
  if (charter.status === 'finalised') return <p className="notice notice--info">{t('workspace.finalisedNotice')}</p>;
  if (charter.role === 'observer') return <p className="notice notice--info">{t('workspace.observerNotice')}</p>;
  if (charter.role === 'drafter' && (charter.assignedSectionIds ?? []).length > 0) {
    return <p className="notice notice--info">{t('workspace.drafterAssignedNotice')}</p>;
  }
  return null;
}

function SectionsPanel() {
  const { charter, presence, members, reloadCharter } = useWorkspace();
  const isSecretariat = charter.role === 'secretariat';
  const editable = isSecretariat && charter.status === 'drafting';
  const sections = [...charter.sections].sort((a, b) => a.position - b.position);

  const move = useAction(async (section: Section, to: number) => {
    await api.updateSection(charter.id, section.id, { position: to });
    await reloadCharter();
  });

  return (
    <section aria-labelledby="sections-title" className="section-block">
      <h2 id="sections-title">{t('sections.title')}</h2>
      <p className="muted">{t('sections.intro')}</p>
      <FormError error={move.error} />
      {sections.length === 0 ? <p className="empty">{t('sections.empty')}</p> : null}
      <ol className="section-list">
        {sections.map((s, i) => {
          const here = presence.get(s.id) ?? [];
          const drafters = (members ?? []).filter((m) => m.role === 'drafter' && m.sectionIds.includes(s.id));
          return (
            <li key={s.id} className="section-item card">
              <div className="section-item__main">
                <h3 className="section-item__title">
                  <span className="section-item__number">{i + 1}.</span>{' '}
                  <Link to={`/charters/${charter.id}/sections/${s.id}`}>{s.title}</Link>
                </h3>
                {s.guidance ? <p className="muted section-item__guidance">{s.guidance}</p> : null}
                <p className="meta">
                  {here.length ? (
                    <>
                      <PresenceDots users={here} /> <span>{tn('sections.peopleHere', here.length)}</span>
                    </>
                  ) : (
                    <span className="muted">{t('sections.nobodyHere')}</span>
                  )}
                  {drafters.length ? <span> · {t('sections.drafters', { names: drafters.map((d) => d.name).join(', ') })}</span> : null}
                  {canEditSection(charter, s.id) ? null : <span> · {t('sections.readOnlyForYou')}</span>}
                </p>
              </div>
              {editable ? (
                <div className="section-item__tools">
                  <RenameSection section={s} />
                  <div className="button-row">
                    <button
                      type="button"
                      className="button button--small button--secondary"
                      disabled={i === 0 || move.busy}
                      onClick={() => void move.run(s, i - 1)}
                    >
                      <ForItem label={t('sections.moveUp')} item={s.title} />
                    </button>
                    <button
                      type="button"
                      className="button button--small button--secondary"
                      disabled={i === sections.length - 1 || move.busy}
                      onClick={() => void move.run(s, i + 1)}
                    >
                      <ForItem label={t('sections.moveDown')} item={s.title} />
                    </button>
                  </div>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {editable ? <AddSection /> : null}
    </section>
  );
}

function RenameSection({ section }: { section: Section }) {
  const { charter, reloadCharter } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(section.title);
  const rename = useAction(async () => {
    await api.updateSection(charter.id, section.id, { title });
    await reloadCharter();
    setOpen(false);
  });
  if (!open) {
    return (
      <button
        type="button"
        className="button button--small button--secondary"
        onClick={() => {
          setTitle(section.title);
          rename.reset();
          setOpen(true);
        }}
      >
        <ForItem label={t('sections.rename')} item={section.title} />
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void rename.run();
      }}
    >
      <TextField label={t('sections.newTitle')} value={title} onChange={setTitle} autoFocus required error={rename.fieldErrors.title} />
      <FormError error={rename.error} shownFields={['title']} />
      <div className="button-row">
        <button type="submit" className="button button--small button--primary" disabled={rename.busy}>
          {t('action.save')}
        </button>
        <button type="button" className="button button--small button--secondary" onClick={() => setOpen(false)}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddSection() {
  const { charter, reloadCharter } = useWorkspace();
  const [title, setTitle] = useState('');
  const add = useAction(async () => {
    await api.addSection(charter.id, { title });
    setTitle('');
    await reloadCharter();
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void add.run();
  };
  return (
    <form className="card form add-section" onSubmit={onSubmit} noValidate>
      <h3>{t('sections.addTitle')}</h3>
      <FormError error={add.error} shownFields={['title', 'key']} />
      <TextField label={t('sections.titleField')} value={title} onChange={setTitle} required error={add.fieldErrors.title ?? add.fieldErrors.key} />
      <button type="submit" className="button button--primary" disabled={add.busy}>
        {t('sections.add')}
      </button>
    </form>
  );
}
