import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { Signon, SignonList, VersionDetail } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { CountryField } from '../components/CountryField';
import { Checkbox, EmailField, TextField } from '../components/Fields';
import { FormError } from '../components/FormError';
import { useAction } from '../hooks/useAction';
import { t } from '../i18n';

interface KnownOrganisation {
  name: string;
  acronym: string;
  country: string;
}

const FIELDS = [
  'organisation.name',
  'organisation.acronym',
  'organisation.country',
  'signatory.name',
  'signatory.title',
  'signatory.email',
  'consent',
  'publicListing',
];

/** The sign-on form: one organisation, one signatory, explicit consent, optional unlisting. */
export function SignOnForm({ detail, list, onSigned }: { detail: VersionDetail; list: SignonList | undefined; onSigned: (s: Signon) => void }) {
  const { user } = useAuth();
  const [orgName, setOrgName] = useState(user?.organisation?.name ?? '');
  const suggested = useOrganisationSuggestions(orgName);
  const known = useMemo(() => knownOrganisations(user?.organisation ?? null, list, suggested), [user?.organisation, list, suggested]);
  const listId = useId();

  const [acronym, setAcronym] = useState(user?.organisation?.acronym ?? '');
  const [country, setCountry] = useState(user?.organisation?.country ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [title, setTitle] = useState('');
  const [email, setEmail] = useState(user?.email ?? '');
  const [consent, setConsent] = useState(false);
  const [unlisted, setUnlisted] = useState(false);
  const [done, setDone] = useState<Signon | null>(null);

  const signOn = useAction(async () => {
    const { signon } = await api.signOn(detail.version.id, {
      organisation: { name: orgName, country, ...(acronym.trim() ? { acronym: acronym.trim() } : {}) },
      signatory: { name, title, email },
      consent,
      publicListing: !unlisted,
    });
    setDone(signon);
    onSigned(signon);
    setConsent(false);
    setUnlisted(false);
    // Ready for the next organisation in the room.
    setOrgName('');
    setAcronym('');
    setTitle('');
    setName(user?.name ?? '');
    setEmail(user?.email ?? '');
  });

  const onOrgName = (value: string) => {
    setOrgName(value);
    const match = known.find((k) => k.name.toLocaleLowerCase() === value.trim().toLocaleLowerCase());
    if (match) {
      if (!acronym) setAcronym(match.acronym);
      if (!country) setCountry(match.country);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    void signOn.run();
  };

  const err = signOn.fieldErrors;
  const orgError = err['organisation.name'] ?? (signOn.error?.code === 'already_signed' ? signOn.error.message : undefined);
  const consentLabel = t('signon.consentStatement', {
    organisation: orgName.trim() || t('signon.yourOrganisation'),
    number: detail.version.number,
    title: detail.charter.title,
  });

  return (
    <>
      <div aria-live="polite">
        {done ? (
          <div className="notice notice--success">
            <p>
              {t('signon.thanks', {
                organisation: done.organisation?.name ?? t('signon.yourOrganisation'),
                number: detail.version.number,
              })}
            </p>
            {!done.publicListing ? <p>{t('signon.thanksUnlisted')}</p> : null}
          </div>
        ) : null}
      </div>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError error={signOn.error?.code === 'already_signed' ? undefined : signOn.error} shownFields={FIELDS} />
        <TextField
          label={t('signon.organisation')}
          list={listId}
          autoComplete="organization"
          required
          value={orgName}
          onChange={onOrgName}
          error={orgError}
          hint={t('signon.organisationHint')}
        />
        <datalist id={listId}>
          {known.map((k) => (
            <option key={`${k.name}|${k.country}`} value={k.name} />
          ))}
        </datalist>
        <TextField label={t('field.acronym')} optional value={acronym} onChange={setAcronym} error={err['organisation.acronym']} />
        <CountryField label={t('signon.country')} required value={country} onChange={setCountry} error={err['organisation.country']} hint={t('signon.countryHint')} />
        <TextField label={t('signon.signatoryName')} autoComplete="name" required value={name} onChange={setName} error={err['signatory.name']} />
        <TextField
          label={t('signon.signatoryTitle')}
          autoComplete="organization-title"
          required
          value={title}
          onChange={setTitle}
          error={err['signatory.title']}
          hint={t('signon.signatoryTitleHint')}
        />
        <EmailField
          required
          value={email}
          onChange={setEmail}
          error={err['signatory.email']}
          hint={t('signon.emailHint')}
        />
        <Checkbox label={consentLabel} checked={consent} onChange={setConsent} error={err.consent} required />
        <Checkbox label={t('signon.unlisted')} hint={t('signon.unlistedHint')} checked={unlisted} onChange={setUnlisted} error={err.publicListing} />
        <button type="submit" className="button button--primary" disabled={signOn.busy}>
          {signOn.busy ? t('signon.submitting') : t('signon.submit')}
        </button>
      </form>
    </>
  );
}

/** Organisations the person may mean: their own, then those already listed on this version. */
/** Organisations listed publicly on any version whose name contains what was typed (after a pause). */
function useOrganisationSuggestions(typed: string): KnownOrganisation[] {
  const [found, setFound] = useState<KnownOrganisation[]>([]);
  const q = typed.trim();
  useEffect(() => {
    if (q.length < 2) return;
    let live = true;
    const timer = setTimeout(() => {
      api.organisations(q).then(
        (res) => live && setFound(res.organisations),
        // Suggestions are a convenience: on a failed request the person simply types the name.
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return found;
}

function knownOrganisations(
  own: { name: string; acronym: string; country: string } | null,
  list: SignonList | undefined,
  suggested: KnownOrganisation[],
): KnownOrganisation[] {
  const out = new Map<string, KnownOrganisation>();
  if (own) out.set(own.name.toLowerCase(), { name: own.name, acronym: own.acronym, country: own.country });
  for (const s of suggested) if (!out.has(s.name.toLowerCase())) out.set(s.name.toLowerCase(), s);
  for (const group of list?.byCountry ?? []) {
    for (const s of group.signons) {
      const name = s.organisation?.name;
      if (name && !out.has(name.toLowerCase())) {
        out.set(name.toLowerCase(), { name, acronym: s.organisation?.acronym ?? '', country: s.organisation?.country ?? group.country });
      }
    }
  }
  return [...out.values()];
}
