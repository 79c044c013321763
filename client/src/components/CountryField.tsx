import { useEffect, useId, useMemo, useState } from 'react';
import { COUNTRY_CODES, countryName } from '@charter/shared/countries';
import { t, locale } from '../i18n';
import { describedBy, FieldFrame } from './Fields';

export interface CountryOption {
  code: string;
  name: string;
}

let cached: CountryOption[] | undefined;

/** Every ISO 3166-1 country with its name in the interface language, sorted by name. */
export function countryOptions(): CountryOption[] {
  if (!cached) {
    const collator = new Intl.Collator(locale);
    cached = COUNTRY_CODES.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) => collator.compare(a.name, b.name));
  }
  return cached;
}

/** The country code a person meant by what they typed: a name from the list, or a code. */
export function matchCountry(text: string): string {
  const q = text.trim().toLocaleLowerCase(locale);
  if (!q) return '';
  const options = countryOptions();
  const byName = options.find((o) => o.name.toLocaleLowerCase(locale) === q);
  if (byName) return byName.code;
  const byCode = options.find((o) => o.code.toLowerCase() === q);
  return byCode?.code ?? '';
}

interface CountryFieldProps {
  label: string;
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  optional?: boolean;
  id?: string;
  name?: string;
}

/**
 * A country picker that is searchable by typing (a text input with the country names as
 * suggestions), which works with phone keyboards and screen readers alike.
 */
export function CountryField({ label, value, onChange, error, hint, required, optional, id: givenId, name }: CountryFieldProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const listId = `${id}-list`;
  const options = useMemo(countryOptions, []);
  const [text, setText] = useState(() => (value ? countryName(value, locale) : ''));
  const [touched, setTouched] = useState(false);

  // Follow a value set from outside (e.g. chosen with a known organisation).
  useEffect(() => {
    if (value && matchCountry(text) !== value) setText(countryName(value, locale));
  }, [value]);

  const localError = touched && text.trim() && !matchCountry(text) ? t('country.unknown') : undefined;
  const shown = localError ?? error;

  return (
    <FieldFrame id={id} label={label} hint={hint} error={shown} optional={optional ?? false}>
      <input
        id={id}
        name={name}
        list={listId}
        autoComplete="country-name"
        value={text}
        required={required}
        aria-invalid={shown ? true : undefined}
        aria-describedby={describedBy(id, hint, shown)}
        onChange={(e) => {
          setText(e.target.value);
          onChange(matchCountry(e.target.value));
        }}
        onBlur={() => {
          setTouched(true);
          const code = matchCountry(text);
          if (code) setText(countryName(code, locale));
        }}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.code} value={o.name} />
        ))}
      </datalist>
    </FieldFrame>
  );
}
