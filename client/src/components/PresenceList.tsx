import type { PresenceUser } from '@charter/shared/collab';
import { t } from '../i18n';

/** Small coloured initials for a list of people (used beside each section). */
export function PresenceDots({ users, max = 4 }: { users: PresenceUser[]; max?: number }) {
  if (users.length === 0) return null;
  const names = users.map((u) => u.name).join(', ');
  return (
    <span className="presence-dots" title={names}>
      <span className="visually-hidden">{t('presence.here', { names })}</span>
      {users.slice(0, max).map((u) => (
        <span key={u.id} className="presence-dot" style={{ backgroundColor: u.color }} aria-hidden="true">
          {initials(u.name)}
        </span>
      ))}
      {users.length > max ? (
        <span className="presence-more" aria-hidden="true">
          +{users.length - max}
        </span>
      ) : null}
    </span>
  );
}

/** The people in this section: name, organisation and the colour of their caret. */
export function PresenceList({ users, selfId }: { users: PresenceUser[]; selfId?: string }) {
  return (
    <div className="presence">
      <h3 className="presence__title">{t('presence.title')}</h3>
      {users.length === 0 ? (
        <p className="muted">{t('presence.nobody')}</p>
      ) : (
        <ul className="presence__list">
          {users.map((u) => (
            <li key={u.id} className="presence__person">
              <span className="presence-dot" style={{ backgroundColor: u.color }} aria-hidden="true">
                {initials(u.name)}
              </span>
              <span>
                <span className="presence__name">
                  {u.name}
                  {u.id === selfId ? ` ${t('presence.you')}` : ''}
                </span>
                {u.organisation ? <span className="presence__org">{u.organisation}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
