import type { ApiError } from '../api/client';
import { t } from '../i18n';

/**
 * The API's message for a failed action, in plain words, announced to screen readers. When the
 * failure names fields that the form shows beside each input, the summary says to look there.
 */
export function FormError({ error, shownFields = [] }: { error: ApiError | undefined; shownFields?: string[] }) {
  if (!error) return null;
  const unshown = Object.entries(error.fields).filter(([k]) => !shownFields.includes(k) && k !== '(body)');
  return (
    <div className="notice notice--error" role="alert">
      <p>{error.message}</p>
      {unshown.length > 0 ? (
        <ul>
          {unshown.map(([k, v]) => (
            <li key={k}>
              {k}: {v}
            </li>
          ))}
        </ul>
      ) : null}
      {error.isNetwork ? <p>{t('error.networkRetry')}</p> : null}
    </div>
  );
}

/** A page's load failure, with a way to try again. */
export function LoadError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div className="notice notice--error" role="alert">
      <p>{error.status === 404 || error.status === 403 ? t('error.notFoundOrForbidden') : error.message}</p>
      {onRetry && error.isNetwork ? (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          {t('action.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label ?? t('status.loading')}
    </p>
  );
}
