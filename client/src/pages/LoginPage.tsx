import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { EmailField, TextField } from '../components/Fields';
import { FormError } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { t } from '../i18n';
import { safeNext } from './nav';

export default function LoginPage() {
  useDocumentTitle(t('login.title'));
  const { setUser } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const invitation = params.get('invitation');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useAction(async () => {
    const { user } = await api.login({ email, password });
    setUser(user);
    let target = next;
    if (invitation) {
      const accepted = await api.acceptInvitation(invitation);
      target = `/charters/${accepted.charterId}`;
    }
    navigate(target, { replace: true });
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void login.run();
  };

  const registerLink = `/register?${new URLSearchParams({
    ...(invitation ? { invitation } : {}),
    ...(next !== '/' ? { next } : {}),
  }).toString()}`;

  return (
    <div className="narrow">
      <h1>{t('login.title')}</h1>
      <p className="lead">{t('login.intro')}</p>
      <form onSubmit={onSubmit} noValidate className="card form">
        <FormError error={login.error} shownFields={['email', 'password']} />
        <EmailField required value={email} onChange={setEmail} error={login.fieldErrors.email} />
        <TextField
          label={t('field.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
          error={login.fieldErrors.password}
        />
        <button type="submit" className="button button--primary" disabled={login.busy}>
          {login.busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p>
        {t('login.noAccount')} <Link to={registerLink}>{t('login.registerLink')}</Link>
      </p>
    </div>
  );
}
