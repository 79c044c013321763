import { countryName } from '@charter/shared/countries';
import { locale, t } from '../i18n';

export interface CountryCount {
  country: string;
  count: number;
}

/** Sign-ons per country as a table whose rows carry a bar: readable as a picture and as text. */
export function CountryChart({ data, caption }: { data: CountryCount[]; caption: string }) {
  const max = Math.max(1, ...data.map((d) => d.count));
  const rows = [...data].sort((a, b) => b.count - a.count || countryName(a.country, locale).localeCompare(countryName(b.country, locale)));
  return (
    <table className="chart">
      <caption>{caption}</caption>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">{t('chart.country')}</th>
          <th scope="col">{t('chart.organisations')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.country}>
            <th scope="row" className="chart__label">
              {countryName(d.country, locale)}
            </th>
            <td className="chart__cell">
              <span className="chart__bar" style={{ width: `${Math.max(4, (d.count / max) * 100)}%` }} aria-hidden="true" />
              <span className="chart__value">{d.count}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
