/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage return;
 * U+FFFE and U+FFFF; lone surrogates, which the `u` flag sees as single code points) and the C1
 * controls, which no document should carry. Everything user-written passes through here before
 * it reaches the docx library, which escapes markup but keeps these.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/** User text made safe to place in a document: characters XML cannot carry are dropped. */
export function xmlSafe(text: string | null | undefined): string {
  return (text ?? '').replace(NOT_XML, '');
}

/** As {@link xmlSafe}, on one line: tabs and line breaks become single spaces. */
export function xmlSafeLine(text: string | null | undefined): string {
  return xmlSafe(text).replace(/[\t\r\n]+/gu, ' ');
}

/** A link target for a document: only http(s) and mailto addresses, normalised; anything else is no link. */
export function safeHref(href: unknown): string | undefined {
  if (typeof href !== 'string' || href.length > 2000) return undefined;
  try {
    const url = new URL(xmlSafeLine(href).trim());
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
