import { useSyncExternalStore } from 'react';
import { connectivity } from '../api/connectivity';
import { t } from '../i18n';

const subscribe = (fn: () => void) => connectivity.subscribe(fn);
const snapshot = () => connectivity.online;

/** Shows, for as long as it lasts, that the server cannot be reached; it goes away by itself. */
export function ConnectionBanner() {
  const online = useSyncExternalStore(subscribe, snapshot, () => true);
  return (
    <div className="banner-slot" aria-live="polite">
      {online ? null : (
        <div className="banner banner--offline" role="status">
          <strong>{t('connection.lostTitle')}</strong> {t('connection.lostBody')}
        </div>
      )}
    </div>
  );
}
