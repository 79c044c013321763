import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Charter } from '../api/types';
import { t } from '../i18n';

/** The heading of a secretariat page that belongs to a charter, with the way back. */
export function CharterFrame({ charter, title, children }: { charter: Charter; title: string; children: ReactNode }) {
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={`/charters/${charter.id}`}>← {charter.title}</Link>
      </p>
      <h1>{title}</h1>
      {charter.role !== 'secretariat' ? <p className="notice notice--info">{t('secretariat.only')}</p> : null}
      {children}
    </div>
  );
}
