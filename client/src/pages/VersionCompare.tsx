import { useState } from 'react';
import { api } from '../api/endpoints';
import type { Version, VersionComparison, VersionDetail } from '../api/types';
import { SelectField } from '../components/Fields';
import { FormError, Loading } from '../components/FormError';
import { useResource } from '../hooks/useResource';
import { t, tn } from '../i18n';

type DiffPart = VersionComparison['sections'][number]['diff'][number];

/** Compares this version with another one of the same charter, section by section. */
export default function VersionCompare({ current, versions }: { current: VersionDetail; versions: Version[] }) {
  const [otherId, setOtherId] = useState('');
  const other = versions.find((v) => v.id === otherId);
  const comparison = useResource(async () => {
    if (!other) return null;
    // Always read it as the changes from the older version to the newer one.
    const [from, to] = other.number < current.version.number ? [other.id, current.version.id] : [current.version.id, other.id];
    return api.compareVersions(from, to);
  }, [otherId]);
  const c = comparison.data;
  const changed = c ? c.sections.filter((s) => s.change !== 'unchanged') : [];

  return (
    <section className="card compare" aria-labelledby="compare-title">
      <h2 id="compare-title">{t('compare.title')}</h2>
      <SelectField label={t('compare.with')} value={otherId} onChange={setOtherId}>
        <option value="">{t('compare.choose')}</option>
        {[...versions]
          .sort((a, b) => b.number - a.number)
          .map((v) => (
            <option key={v.id} value={v.id}>
              {t('versions.versionN', { number: v.number })}
              {v.label ? ` · ${v.label}` : ''}
            </option>
          ))}
      </SelectField>
      {comparison.error ? <FormError error={comparison.error} /> : null}
      {otherId && comparison.loading ? <Loading /> : null}
      {c ? (
        <div aria-live="polite">
          <p>
            {t('compare.summary', {
              older: c.from.number,
              newer: c.to.number,
              changed: changed.length,
              total: tn('compare.sections', c.sections.length),
            })}
          </p>
          {changed.map((s) => (
            <div key={s.key} className="compare__section">
              <h3>
                {s.title.to ?? s.title.from} <span className="badge">{t(`compare.status.${s.change as 'added' | 'removed' | 'changed'}`)}</span>
              </h3>
              {s.title.from && s.title.to && s.title.from !== s.title.to ? <p className="muted">{t('compare.renamed', { from: s.title.from })}</p> : null}
              {s.formattingOnly ? <p className="muted">{t('compare.formattingOnly')}</p> : null}
              <p className="diff">
                {s.diff.map((part, i) => (
                  <Part key={i} part={part} first={i === 0} last={i === s.diff.length - 1} />
                ))}
              </p>
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}

const CONTEXT = 160;

/** One run of the diff; long unchanged runs keep only some context on each side. */
function Part({ part, first, last }: { part: DiffPart; first: boolean; last: boolean }) {
  if (part.op === 'insert') {
    return (
      <ins>
        <span className="visually-hidden">{t('compare.addedSr')}</span>
        {part.text}
      </ins>
    );
  }
  if (part.op === 'delete') {
    return (
      <del>
        <span className="visually-hidden">{t('compare.removedSr')}</span>
        {part.text}
      </del>
    );
  }
  const text = part.text;
  if (text.length <= CONTEXT * 2 + 40) return <span>{text}</span>;
  const head = first ? '' : text.slice(0, CONTEXT);
  const tail = last ? '' : text.slice(-CONTEXT);
  return (
    <span>
      {head}
      <span className="diff-skip"> […] </span>
      {tail}
    </span>
  );
}
