// Sign-ons made from this browser, per account, so that the person who signed sees a
// "withdraw" button next to theirs (the server still checks who may withdraw).
const KEY = 'charter.mySignons';

function read(): Record<string, string[]> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string[]>) : {};
  } catch {
    return {};
  }
}

export function mySignonIds(userId: string): Set<string> {
  return new Set(read()[userId] ?? []);
}

export function rememberSignon(userId: string, signonId: string): void {
  const all = read();
  all[userId] = [...new Set([...(all[userId] ?? []), signonId])].slice(-200);
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Private browsing with storage disabled: the button simply will not show after a reload.
  }
}

export function forgetSignon(userId: string, signonId: string): void {
  const all = read();
  all[userId] = (all[userId] ?? []).filter((id) => id !== signonId);
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // ignore
  }
}
