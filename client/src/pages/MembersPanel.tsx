import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { CreatedInvitation, Member, Role, Section } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyField } from '../components/CopyField';
import { EmailField, SelectField } from '../components/Fields';
import { ForItem } from '../components/ForItem';
import { FormError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { formatDate, roleLabel, t } from '../i18n';
import { useWorkspace } from './workspace-context';

const ROLES: Role[] = ['drafter', 'observer', 'secretariat'];

export function MembersPanel() {
  const { charter, members, invitations } = useWorkspace();
  const isSecretariat = charter.role === 'secretariat';
  return (
    <section aria-labelledby="members-title" className="section-block">
      <h2 id="members-title">{t('members.title')}</h2>
      {isSecretariat ? <InviteForm /> : null}
      {!members ? (
        <Loading />
      ) : (
        <ul className="member-list">
          {members.map((m) => (
            <MemberRow key={m.userId} member={m} />
          ))}
        </ul>
      )}
      {isSecretariat && invitations && invitations.length > 0 ? (
        <>
          <h3>{t('members.pendingTitle')}</h3>
          <ul className="member-list">
            {invitations.map((inv) => (
              <PendingRow key={inv.id} id={inv.id} email={inv.email} role={inv.role} sectionIds={inv.sectionIds} createdAt={inv.createdAt} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function sectionTitles(sections: Section[], ids: string[]): string {
  return sections
    .filter((s) => ids.includes(s.id))
    .map((s) => s.title)
    .join(', ');
}

function SectionChoice({ sections, value, onChange, error }: { sections: Section[]; value: string[]; onChange: (ids: string[]) => void; error?: string | undefined }) {
  const prefix = useId();
  return (
    <fieldset className="fieldset">
      <legend>{t('members.sectionsLegend')}</legend>
      <p className="field__hint">{t('members.sectionsHint')}</p>
      {sections.map((s) => (
        <div className="field field--checkbox" key={s.id}>
          <input
            type="checkbox"
            id={`${prefix}-${s.id}`}
            checked={value.includes(s.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, s.id] : value.filter((id) => id !== s.id))}
          />
          <label htmlFor={`${prefix}-${s.id}`}>{s.title}</label>
        </div>
      ))}
      {error ? <p className="field__error">{error}</p> : null}
    </fieldset>
  );
}

function InviteForm() {
  const { charter, reloadMembers } = useWorkspace();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('drafter');
  const [sectionIds, setSectionIds] = useState<string[]>([]);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const [added, setAdded] = useState<Member | null>(null);
  const sections = [...charter.sections].sort((a, b) => a.position - b.position);

  const invite = useAction(async () => {
    const result = await api.addMember(charter.id, { email, role, ...(role === 'drafter' ? { sectionIds } : {}) });
    setCreated(result.invitation ?? null);
    setAdded(result.member ?? null);
    setEmail('');
    setSectionIds([]);
    await reloadMembers();
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    setAdded(null);
    void invite.run();
  };

  return (
    <div className="card">
      <h3>{t('members.inviteTitle')}</h3>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError error={invite.error} shownFields={['email', 'role', 'sectionIds']} />
        <EmailField
          autoComplete="off"
          required
          value={email}
          onChange={setEmail}
          error={invite.fieldErrors.email}
        />
        <SelectField label={t('members.role')} value={role} onChange={(v) => setRole(v as Role)} error={invite.fieldErrors.role} hint={t(`role.${role}.help`)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </SelectField>
        {role === 'drafter' ? <SectionChoice sections={sections} value={sectionIds} onChange={setSectionIds} error={invite.fieldErrors.sectionIds} /> : null}
        <button type="submit" className="button button--primary" disabled={invite.busy}>
          {invite.busy ? t('members.inviting') : t('members.invite')}
        </button>
      </form>
      <div aria-live="polite">
        {created ? (
          <div className="notice notice--success">
            <p>{t('members.invitationCreated', { email: created.email, role: roleLabel(created.role) })}</p>
            <CopyField label={t('members.invitationLink')} value={created.url} />
          </div>
        ) : null}
        {added ? (
          <p className="notice notice--success">{t('members.memberAdded', { name: added.name, role: roleLabel(added.role) })}</p>
        ) : null}
      </div>
    </div>
  );
}

function MemberRow({ member }: { member: Member }) {
  const { charter, user, reloadMembers, reloadCharter } = useWorkspace();
  const isSecretariat = charter.role === 'secretariat';
  const sections = [...charter.sections].sort((a, b) => a.position - b.position);
  const [editing, setEditing] = useState(false);
  const [role, setRole] = useState<Role>(member.role);
  const [sectionIds, setSectionIds] = useState<string[]>(member.sectionIds);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const save = useAction(async () => {
    await api.updateMember(charter.id, member.userId, { role, sectionIds: role === 'drafter' ? sectionIds : [] });
    await reloadMembers();
    if (member.userId === user.id) await reloadCharter();
    setEditing(false);
  });
  const remove = useAction(async () => {
    await api.removeMember(charter.id, member.userId);
    setConfirmRemove(false);
    await reloadMembers();
  });

  const org = member.organisation ? [member.organisation.name, member.organisation.acronym && `(${member.organisation.acronym})`].filter(Boolean).join(' ') : '';
  const assigned = member.role === 'drafter' ? (member.sectionIds.length ? sectionTitles(sections, member.sectionIds) : t('members.allSections')) : '';

  return (
    <li className="member card">
      <div className="member__who">
        <strong>{member.name}</strong>
        {member.userId === user.id ? <span className="muted"> {t('presence.you')}</span> : null}
        {org ? <span className="member__org">{org}</span> : null}
        {isSecretariat ? <span className="member__email">{member.email}</span> : null}
      </div>
      <div className="member__role">
        <span className="badge badge--role">{roleLabel(member.role)}</span>
        {assigned ? <span className="muted"> {t('members.writes', { sections: assigned })}</span> : null}
      </div>
      {isSecretariat && !editing ? (
        <div className="button-row">
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => {
              setRole(member.role);
              setSectionIds(member.sectionIds);
              save.reset();
              setEditing(true);
            }}
          >
            <ForItem label={t('members.change')} item={member.name} />
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => {
              remove.reset();
              setConfirmRemove(true);
            }}
          >
            <ForItem label={t('members.remove')} item={member.name} />
          </button>
        </div>
      ) : null}
      {editing ? (
        <form
          className="form member__edit"
          onSubmit={(e) => {
            e.preventDefault();
            void save.run();
          }}
        >
          <FormError error={save.error} shownFields={['role', 'sectionIds']} />
          <SelectField label={t('members.role')} value={role} onChange={(v) => setRole(v as Role)} error={save.fieldErrors.role}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </SelectField>
          {role === 'drafter' ? <SectionChoice sections={sections} value={sectionIds} onChange={setSectionIds} error={save.fieldErrors.sectionIds} /> : null}
          <div className="button-row">
            <button type="submit" className="button button--small button--primary" disabled={save.busy}>
              {t('action.save')}
            </button>
            <button type="button" className="button button--small button--secondary" onClick={() => setEditing(false)}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      <ConfirmDialog
        open={confirmRemove}
        title={t('members.removeTitle', { name: member.name })}
        confirmLabel={t('members.remove')}
        danger
        busy={remove.busy}
        error={remove.error}
        onConfirm={() => void remove.run()}
        onClose={() => setConfirmRemove(false)}
      >
        <p>{t('members.removeBody', { name: member.name })}</p>
      </ConfirmDialog>
    </li>
  );
}

function PendingRow({ id, email, role, sectionIds, createdAt }: { id: string; email: string; role: Role; sectionIds: string[]; createdAt: string }) {
  const { charter, reloadMembers } = useWorkspace();
  const revoke = useAction(async () => {
    await api.revokeInvitation(charter.id, id);
    await reloadMembers();
  });
  const sections = sectionTitles(charter.sections, sectionIds);
  return (
    <li className="member card">
      <div className="member__who">
        <strong>{email}</strong>
        <span className="muted">{t('members.invitedOn', { date: formatDate(createdAt) })}</span>
      </div>
      <div className="member__role">
        <span className="badge badge--role">{roleLabel(role)}</span>
        {sections ? <span className="muted"> {t('members.writes', { sections })}</span> : null}
      </div>
      <FormError error={revoke.error} />
      <div className="button-row">
        <button
          type="button"
          className="button button--small button--secondary"
          disabled={revoke.busy}
          onClick={() => void revoke.run()}
        >
          <ForItem label={t('members.revoke')} item={email} />
        </button>
      </div>
    </li>
  );
}
