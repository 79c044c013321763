import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { CountryField } from '../components/CountryField';
import { EmailField, TextField } from '../components/Fields';
import { FormError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { roleLabel, t } from '../i18n';
import { safeNext } from './nav';

const SHOWN_FIELDS = ['name', 'email', 'password', 'organisation.name', 'organisation.acronym', 'organisation.country', 'invitation'];

export default function RegisterPage() {
  useDocumentTitle(t('register.title'));
  const { user, setUser, signOut } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('invitation') ?? '';
  const next = safeNext(params.get('next'));

  const preview = useResource(async () => (token ? (await api.invitation(token)).invitation : null), [token]);

  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgName, setOrgName] = useState('');
  const [orgAcronym, setOrgAcronym] = useState('');
  const [orgCountry, setOrgCountry] = useState('');

  useEffect(() => {
    if (preview.data?.email && !email) setEmail(preview.data.email);
  }, [preview.data]);

  const register = useAction(async () => {
    const organisation = orgName.trim()
      ? { name: orgName.trim(), country: orgCountry, ...(orgAcronym.trim() ? { acronym: orgAcronym.trim() } : {}) }
      : undefined;
    const { user } = await api.register({
      name,
      email,
      password,
      ...(organisation ? { organisation } : {}),
      ...(token && preview.data ? { invitation: token } : {}),
    });
    setUser(user);
    navigate(token && preview.data ? `/charters/${preview.data.charter.id}` : next, { replace: true });
  });

  const accept = useAction(async () => {
    const result = await api.acceptInvitation(token);
    navigate(`/charters/${result.charterId}`, { replace: true });
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void register.run();
  };

  const invitationCard = token ? (
    preview.loading ? (
      <Loading label={t('invitation.checking')} />
    ) : preview.data ? (
      <div className="notice notice--info">
        <p>
          {t('invitation.waiting', { charter: preview.data.charter.title, role: roleLabel(preview.data.role) })}
        </p>
        <p className="muted">{t(`role.${preview.data.role}.help`)}</p>
      </div>
    ) : (
      <div className="notice notice--error" role="alert">
        <p>{t('invitation.invalid')}</p>
      </div>
    )
  ) : null;

  // Already signed in with an invitation link: accept it with this account.
  if (user && token) {
    return (
      <div className="narrow">
        <h1>{t('invitation.title')}</h1>
        {invitationCard}
        {preview.data ? (
          <>
            <p>{t('invitation.signedInAs', { name: user.name, email: user.email })}</p>
            <FormError error={accept.error} />
            <div className="actions">
              <button type="button" className="button button--primary" disabled={accept.busy} onClick={() => void accept.run()}>
                {t('invitation.accept')}
              </button>
              <button type="button" className="button button--secondary" onClick={() => void signOut()}>
                {t('invitation.notYou')}
              </button>
            </div>
          </>
        ) : null}
      </div>
    );
  }

  const loginLink = `/login?${new URLSearchParams({ ...(token ? { invitation: token } : {}), ...(next !== '/' ? { next } : {}) }).toString()}`;

  return (
    <div className="narrow">
      <h1>{token ? t('invitation.title') : t('register.title')}</h1>
      {invitationCard}
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormError error={register.error} shownFields={SHOWN_FIELDS} />
        <TextField label={t('field.yourName')} autoComplete="name" required value={name} onChange={setName} error={register.fieldErrors.name} />
        <EmailField required value={email} onChange={setEmail} error={register.fieldErrors.email} />
        <TextField
          label={t('field.password')}
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t('register.passwordHint')}
          value={password}
          onChange={setPassword}
          error={register.fieldErrors.password}
        />
        <fieldset className="fieldset">
          <legend>{t('register.organisationLegend')}</legend>
          <p className="field__hint">{t('register.organisationHint')}</p>
          <TextField
            label={t('field.organisationName')}
            optional
            autoComplete="organization"
            value={orgName}
            onChange={setOrgName}
            error={register.fieldErrors['organisation.name']}
          />
          <TextField
            label={t('field.acronym')}
            optional
            value={orgAcronym}
            onChange={setOrgAcronym}
            error={register.fieldErrors['organisation.acronym']}
          />
          <CountryField
            label={t('field.country')}
            optional={!orgName.trim()}
            value={orgCountry}
            onChange={setOrgCountry}
            error={register.fieldErrors['organisation.country'] ?? register.fieldErrors.organisation}
          />
        </fieldset>
        {register.fieldErrors.invitation ? <p className="field__error">{register.fieldErrors.invitation}</p> : null}
        <button type="submit" className="button button--primary" disabled={register.busy}>
          {register.busy ? t('register.submitting') : token && preview.data ? t('register.submitAndJoin') : t('register.submit')}
        </button>
      </form>
      <p>
        {t('register.haveAccount')} <Link to={loginLink}>{t('register.signInLink')}</Link>
      </p>
    </div>
  );
}
