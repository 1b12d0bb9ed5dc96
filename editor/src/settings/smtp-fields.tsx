// The sending half of the account form: the server approved replies and invoices leave through.
import type { SmtpForm } from './mail-form-state.ts';
import { ServerFields } from './server-fields.tsx';

export function SmtpFields({
  value,
  onChange,
  errors,
  passwordHint,
}: {
  value: SmtpForm;
  onChange: (next: SmtpForm) => void;
  errors: Record<string, string>;
  passwordHint: string;
}) {
  const set = (patch: Partial<SmtpForm>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="plain-fieldset mail-direction">
      <legend>
        <label className="checkbox-field">
          <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Send mail from this address (SMTP)
        </label>
      </legend>
      {value.enabled ? (
        <>
          <ServerFields
            direction="smtp"
            value={value}
            set={set}
            errors={errors}
            passwordHint={passwordHint}
            userHint="Empty for a server without sign-in."
          />
        </>
      ) : null}
    </fieldset>
  );
}
