import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Suspense, useEffect, useRef } from 'react';
import { useAuth } from '../auth/AuthContext';
import { t } from '../i18n';
import { ConnectionBanner } from './ConnectionBanner';
import { Loading } from './FormError';

/** The frame around every page: skip link, header with the person's name, the connection banner. */
export function Layout() {
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);

  // Move focus to the page on navigation so screen reader and keyboard users start at the top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: false });
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <svg aria-hidden="true" width="24" height="24" viewBox="0 0 32 32">
              <rect width="32" height="32" rx="6" fill="currentColor" />
              <path d="M9 8h10l4 4v12H9z" fill="#fff" />
            </svg>
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.label')} className="site-nav">
            {user ? (
              <>
                <NavLink to="/" end>
                  {t('nav.myCharters')}
                </NavLink>
                <span className="site-nav__user" title={user.email}>
                  {user.name}
                </span>
                <button
                  type="button"
                  className="button button--link"
                  onClick={async () => {
                    await signOut();
                    navigate('/');
                  }}
                >
                  {t('nav.signOut')}
                </button>
              </>
            ) : user === null ? (
              <>
                <NavLink to={`/login?next=${encodeURIComponent(location.pathname)}`}>{t('nav.signIn')}</NavLink>
                <NavLink to={`/register?next=${encodeURIComponent(location.pathname)}`}>{t('nav.register')}</NavLink>
              </>
            ) : null}
          </nav>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
