// One labelled input of the account form, with its hint and the server's error for it underneath.
import { cloneElement, useId, type ReactElement } from 'react';

export function FormField({
  label,
  error,
  hint,
  wide = false,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  wide?: boolean;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, {
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(error || hint ? { 'aria-describedby': noteId } : {}),
      })}
      {error ? (
        <span id={noteId} className="field-error">
          {error}
        </span>
      ) : hint ? (
        <span id={noteId} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** The options of a security select, in words. */
export const securityLabels = {
  tls: 'TLS (encrypted from the start)',
  starttls: 'STARTTLS (upgraded connection)',
  none: 'None (local test servers only)',
} as const;
