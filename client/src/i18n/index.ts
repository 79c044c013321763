import { en, enAuditActions } from './en';

export type MessageKey = keyof typeof en;
type PluralBase<K> = K extends `${infer B}.one` ? B : never;
export type PluralKey = PluralBase<MessageKey>;

/** The interface language. Only English exists today; add a file beside en.ts to translate. */
export const locale = 'en';
const messages: Record<MessageKey, string> = en;
const auditActions: Record<string, string> = enAuditActions;
const plurals = new Intl.PluralRules(locale);

/** The string for `key`, with `{name}` placeholders filled from `vars` (as text, never HTML). */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const template = messages[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The plural form of `base` for `count` (`base.one` or `base.other`), with `{count}` filled in. */
export function tn(base: PluralKey, count: number, vars?: Record<string, string | number>): string {
  const form = plurals.select(count) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}` as MessageKey, { count: count.toLocaleString(locale), ...vars });
}

export function roleLabel(role: string): string {
  return role === 'secretariat' || role === 'drafter' || role === 'observer' ? t(`role.${role}`) : role;
}

export function actionLabel(action: string): string {
  return auditActions[action] ?? action;
}

const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFormat.format(d);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}
