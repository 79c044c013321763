import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { countryName } from '@charter/shared/countries';
import { ApiError } from '../api/client';
import { api, urls } from '../api/endpoints';
import type { Signon, SignonList, Version, VersionDetail, WithheldSignon } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CountryChart } from '../components/CountryChart';
import { DocRenderer } from '../components/DocRenderer';
import { ForItem } from '../components/ForItem';
import { FormError, LoadError, Loading } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useResource } from '../hooks/useResource';
import { formatDate, formatDateTime, locale, t, tn } from '../i18n';
import { SignOnForm } from './SignOnForm';

const VersionCompare = lazy(() => import('./VersionCompare'));

/**
 * The public page of a finalised version: its frozen text, who signed on (by country), the
 * sign-on form and the Word download. Deliberately light: no editor, no yjs.
 */
export default function VersionPage() {
  const { versionId = '' } = useParams();
  const { user } = useAuth();
  const detail = useResource(() => api.version(versionId), [versionId]);
  const signons = useResource(() => api.signons(versionId), [versionId]);
  const charterId = detail.data?.charter.id;
  // Members see the other versions (to compare) and the secretariat may withdraw any sign-on.
  const membership = useResource(
    async () => {
      if (!user || !charterId) return null;
      try {
        const [{ charter }, { versions }] = await Promise.all([api.charter(charterId), api.versions(charterId)]);
        return { role: charter.role, versions };
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
        throw err;
      }
    },
    [user?.id, charterId],
  );
  // Sign-ons this account made (the server knows them, also those made on another device).
  const [mine, setMine] = useState<Set<string>>(() => new Set());
  useEffect(() => {
    setMine(new Set());
    if (!user || !versionId) return;
    let live = true;
    api.mySignons(versionId).then(
      (res) => live && setMine((prev) => new Set([...prev, ...res.signons.map((s) => s.id)])),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [user, versionId]);

  const d = detail.data;
  useDocumentTitle(d ? t('version.docTitle', { title: d.charter.title, number: d.version.number }) : t('version.title'));

  if (detail.error) {
    return (
      <div className="page">
        <LoadError error={detail.error} onRetry={() => void detail.reload()} />
      </div>
    );
  }
  if (!d) return <Loading />;

  const onSigned = (signon: Signon) => {
    setMine((prev) => new Set([...prev, signon.id]));
    void signons.reload();
  };

  return (
    <div className="version-page">
      <header className="version-head">
        <p className="eyebrow">{t('version.eyebrow')}</p>
        <h1>{d.charter.title}</h1>
        <p className="version-head__number">
          {t('versions.versionN', { number: d.version.number })}
          {d.version.label ? ` · ${d.version.label}` : ''}
        </p>
        <dl className="facts">
          <div>
            <dt>{t('version.finalised')}</dt>
            <dd>{formatDateTime(d.version.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('version.fingerprint')}</dt>
            <dd className="hash hash--full">{d.version.sha256}</dd>
          </div>
        </dl>
        <Verify versionId={d.version.id} />
        <div className="actions">
          <a className="button button--primary" href="#sign-on">
            {t('version.signOnJump')}
          </a>
          <a className="button button--secondary" href={urls.versionDocx(d.version.id)} download>
            {t('version.downloadDocx')}
          </a>
          {membership.data?.role === 'secretariat' ? (
            <a className="button button--secondary" href={urls.signonsCsv(d.version.id)} download>
              {t('version.downloadCsv')}
            </a>
          ) : null}
          {membership.data ? (
            <Link className="button button--secondary" to={`/charters/${d.charter.id}`}>
              {t('version.backToWorkspace')}
            </Link>
          ) : null}
        </div>
      </header>

      <div className="version-layout">
        <div className="version-layout__text">
          <SignonSummary list={signons.data} error={signons.error} />
          {membership.data && membership.data.versions.length > 1 ? (
            <Suspense fallback={<Loading />}>
              <VersionCompare current={d} versions={membership.data.versions.filter((v: Version) => v.id !== d.version.id)} />
            </Suspense>
          ) : null}
          <article className="version-text" aria-labelledby="text-title">
            <h2 id="text-title">{t('version.textTitle')}</h2>
            <Sections detail={d} />
          </article>
        </div>
        <aside className="version-layout__side">
          <Signatories
            versionId={d.version.id}
            list={signons.data}
            mine={mine}
            canWithdrawAll={membership.data?.role === 'secretariat'}
            onWithdrawn={(id) => {
              setMine((prev) => new Set([...prev].filter((m) => m !== id)));
              void signons.reload();
            }}
          />
          <section id="sign-on" className="card" aria-labelledby="sign-on-title" tabIndex={-1}>
            <h2 id="sign-on-title">{t('signon.title')}</h2>
            {user ? (
              <SignOnForm detail={d} list={signons.data} onSigned={onSigned} />
            ) : user === null ? (
              <div>
                <p>{t('signon.signInFirst')}</p>
                <div className="actions">
                  <Link className="button button--primary" to={`/login?next=${encodeURIComponent(`/versions/${d.version.id}#sign-on`)}`}>
                    {t('nav.signIn')}
                  </Link>
                  <Link className="button button--secondary" to={`/register?next=${encodeURIComponent(`/versions/${d.version.id}#sign-on`)}`}>
                    {t('nav.register')}
                  </Link>
                </div>
              </div>
            ) : (
              <Loading />
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function Sections({ detail }: { detail: VersionDetail }) {
  return (
    <>
      {detail.sections.map((s, i) => (
        <section key={s.key} className="version-section" aria-labelledby={`v-${s.key}`}>
          <h3 id={`v-${s.key}`}>
            {i + 1}. {s.title}
          </h3>
          <DocRenderer doc={s.doc} headingOffset={2} />
        </section>
      ))}
    </>
  );
}

function Verify({ versionId }: { versionId: string }) {
  const verify = useAction(() => api.verifyVersion(versionId));
  const [result, setResult] = useState<{ ok: boolean } | null>(null);
  return (
    <div className="verify">
      <button
        type="button"
        className="button button--link"
        disabled={verify.busy}
        onClick={async () => {
          const r = await verify.run();
          if (r) setResult(r);
        }}
      >
        {t('version.verify')}
      </button>
      <span aria-live="polite">
        {result ? (result.ok ? <span className="ok">{t('version.verifyOk')}</span> : <span className="bad">{t('version.verifyBad')}</span>) : null}
      </span>
      <FormError error={verify.error} />
    </div>
  );
}

type AnySignon = Signon | WithheldSignon;

function isListed(s: AnySignon): s is Signon {
  return !('withheld' in s && s.withheld) && s.publicListing !== false && Boolean(s.organisation.name);
}

function SignonSummary({ list, error }: { list: SignonList | undefined; error: ApiError | undefined }) {
  if (error) return <LoadError error={error} />;
  if (!list) return <Loading />;
  return (
    <section className="card summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('signatories.summaryTitle')}</h2>
      <p className="summary__line">
        {list.total === 0
          ? t('signatories.none')
          : t('signatories.totalLine', { organisations: tn('signatories.organisations', list.total), countries: tn('signatories.countries', list.countries) })}
      </p>
      {list.total > 0 ? <CountryChart caption={t('chart.caption')} data={list.byCountry.map((g) => ({ country: g.country, count: g.count }))} /> : null}
    </section>
  );
}

function Signatories({
  versionId,
  list,
  mine,
  canWithdrawAll,
  onWithdrawn,
}: {
  versionId: string;
  list: SignonList | undefined;
  mine: Set<string>;
  canWithdrawAll: boolean;
  onWithdrawn: (id: string) => void;
}) {
  if (!list || list.total === 0) return null;
  const groups = [...list.byCountry].sort((a, b) => countryName(a.country, locale).localeCompare(countryName(b.country, locale), locale));
  return (
    <section className="card signatories" aria-labelledby="signatories-title">
      <h2 id="signatories-title">{t('signatories.title')}</h2>
      {groups.map((g) => {
        const listed = g.signons.filter(isListed);
        const withheld = g.signons.filter((s) => !isListed(s));
        // Withheld sign-ons stay anonymous, except to whoever made them and to the secretariat.
        const withheldShown = withheld.filter((s) => mine.has(s.id) || canWithdrawAll);
        const withheldCounted = g.count - listed.length - withheldShown.length;
        return (
          <div key={g.country} className="signatories__country">
            <h3>
              {countryName(g.country, locale)} <span className="count">({g.count})</span>
            </h3>
            <ul>
              {listed.map((s) => (
                <li key={s.id} className="signatory">
                  <span className="signatory__org">
                    {s.organisation.name}
                    {s.organisation.acronym ? ` (${s.organisation.acronym})` : ''}
                  </span>
                  <span className="signatory__person">
                    {s.signatory.name}
                    {s.signatory.title ? `, ${s.signatory.title}` : ''}
                  </span>
                  <span className="signatory__date">{formatDate(s.signedAt)}</span>
                  {mine.has(s.id) || canWithdrawAll ? <Withdraw versionId={versionId} signon={s} onDone={onWithdrawn} /> : null}
                </li>
              ))}
              {withheldShown.map((s) => (
                <li key={s.id} className="signatory">
                  <span className="signatory__org">{mine.has(s.id) ? t('signatories.yoursUnlisted') : t('signatories.anUnlisted')}</span>
                  <span className="signatory__date">{formatDate(s.signedAt)}</span>
                  <Withdraw versionId={versionId} signon={s} onDone={onWithdrawn} />
                </li>
              ))}
              {withheldCounted > 0 ? <li className="signatory signatory--unlisted">{tn('signatories.unlisted', withheldCounted)}</li> : null}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

function Withdraw({ versionId, signon, onDone }: { versionId: string; signon: AnySignon; onDone: (id: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const withdraw = useAction(async () => {
    await api.withdraw(versionId, signon.id);
    onDone(signon.id);
  });
  const name = signon.organisation?.name ?? t('signatories.yourOrganisation');
  if (!confirming) {
    return (
      <button type="button" className="button button--small button--secondary" onClick={() => setConfirming(true)}>
        <ForItem label={t('signatories.withdraw')} item={name} />
      </button>
    );
  }
  return (
    <div className="withdraw-confirm" role="group" aria-label={t('signatories.withdrawLabel', { name })}>
      <p>{t('signatories.withdrawConfirm', { name })}</p>
      <FormError error={withdraw.error} />
      <div className="button-row">
        <button type="button" className="button button--small button--danger" disabled={withdraw.busy} onClick={() => void withdraw.run()}>
          {t('signatories.withdrawYes')}
        </button>
        <button type="button" className="button button--small button--secondary" onClick={() => setConfirming(false)}>
          {t('action.cancel')}
        </button>
      </div>
    </div>
  );
}
