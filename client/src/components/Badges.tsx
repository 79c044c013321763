import type { Role } from '../api/types';
import { roleLabel, t } from '../i18n';

export function StatusBadge({ status }: { status: 'drafting' | 'finalised' }) {
  return <span className={`badge badge--${status}`}>{t(`status.${status}`)}</span>;
}

export function RoleBadge({ role }: { role: Role }) {
  return <span className="badge badge--role">{roleLabel(role)}</span>;
}
