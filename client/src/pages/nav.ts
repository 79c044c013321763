/** A same-site path to return to after signing in, from `?next=`; anything else becomes `/`. */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (raw.startsWith('/login') || raw.startsWith('/register')) return '/';
  return raw;
}
