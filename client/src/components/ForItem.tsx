/**
 * A button's visible words plus, for screen readers only, what it acts on: "Remove" reads as
 * "Remove (Joseph Okello)". The spoken name starts with the visible words, so voice control
 * ("click Remove") keeps working.
 */
export function ForItem({ label, item }: { label: string; item: string }) {
  return (
    <>
      {label}
      <span className="visually-hidden"> ({item})</span>
    </>
  );
}
