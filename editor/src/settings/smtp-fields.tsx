// The sending half of the account form: the server approved replies and invoices leave through.
import { FormField, securityLabels } from './form-field.tsx';
import { portAfterSecurityChange, type SmtpForm } from './mail-form-state.ts';
import { mailSecurityModes, type MailSecurity } from './mail-types.ts';

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
          <div className="field-row mail-server-row">
            <FormField label="SMTP host" error={errors['smtp.host']}>
              <input
                value={value.host}
                onChange={(e) => set({ host: e.target.value })}
                placeholder="smtp.example.com"
              />
            </FormField>
            <FormField label="SMTP security" error={errors['smtp.security']}>
              <select
                value={value.security}
                onChange={(e) => {
                  const security = e.target.value as MailSecurity;
                  set({ security, port: portAfterSecurityChange('smtp', value.port, security) });
                }}
              >
                {mailSecurityModes.map((mode) => (
                  <option key={mode} value={mode}>
                    {securityLabels[mode]}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField label="SMTP port" error={errors['smtp.port']}>
              <input inputMode="numeric" value={value.port} onChange={(e) => set({ port: e.target.value })} />
            </FormField>
          </div>
          <div className="field-row">
            <FormField label="SMTP user name" error={errors['smtp.user']} hint="Empty for a server without sign-in.">
              <input autoComplete="off" value={value.user} onChange={(e) => set({ user: e.target.value })} />
            </FormField>
            <FormField label="SMTP password" error={errors['smtp.password']} hint={passwordHint}>
              <input
                type="password"
                autoComplete="new-password"
                value={value.password}
                onChange={(e) => set({ password: e.target.value })}
              />
            </FormField>
          </div>
        </>
      ) : null}
    </fieldset>
  );
}
