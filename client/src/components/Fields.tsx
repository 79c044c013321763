import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { t } from '../i18n';

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  children: ReactNode;
}

/** Label, hint and error around one control: the markup every field shares. */
export function FieldFrame({ id, label, hint, error, optional, children }: FieldFrameProps) {
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="field__optional"> {t('field.optional')}</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The `aria-describedby` of a control inside {@link FieldFrame}. */
export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** What every labelled text-valued field takes, besides its element's own attributes. */
type LabelledValue = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
};

/** The ARIA state of a control inside {@link FieldFrame}. */
const ariaFor = (id: string, hint: unknown, error: unknown) => ({
  'aria-invalid': error ? true : undefined,
  'aria-describedby': describedBy(id, hint, error),
});

/** What an input, textarea or select inside {@link FieldFrame} is given: id, value, change, ARIA. */
const valueControl = (id: string, { value, onChange, hint, error }: Omit<LabelledValue, 'label'>) => ({
  id,
  value,
  onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  ...ariaFor(id, hint, error),
});

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & LabelledValue & { optional?: boolean };

/** A labelled text input whose API error (if any) shows right under it. */
export function TextField({ label, hint, error, optional, value, onChange, id: givenId, ...rest }: TextFieldProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional ?? false}>
      <input {...valueControl(id, { hint, error, value, onChange })} {...rest} />
    </FieldFrame>
  );
}

/** The e-mail field every form uses: the right keyboard on phones, and autofill unless told otherwise. */
export function EmailField(props: Omit<TextFieldProps, 'type' | 'inputMode' | 'label'> & { label?: ReactNode }) {
  return <TextField label={t('field.email')} type="email" inputMode="email" autoComplete="email" {...props} />;
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange'> & LabelledValue & { optional?: boolean };

export function TextArea({ label, hint, error, optional, value, onChange, id: givenId, ...rest }: TextAreaProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={optional ?? false}>
      <textarea {...valueControl(id, { hint, error, value, onChange })} {...rest} />
    </FieldFrame>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & LabelledValue & { children: ReactNode };

export function SelectField({ label, hint, error, value, onChange, children, id: givenId, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select {...valueControl(id, { hint, error, value, onChange })} {...rest}>
        {children}
      </select>
    </FieldFrame>
  );
}

type CheckboxProps = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
  id?: string;
  required?: boolean;
  name?: string;
};

export function Checkbox({ label, hint, error, checked, onChange, id: givenId, ...rest }: CheckboxProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  return (
    <div className={`field field--checkbox${error ? ' field--error' : ''}`}>
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        {...ariaFor(id, hint, error)}
        {...rest}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
