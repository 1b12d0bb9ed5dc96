// What both halves of the account form ask alike: the server (host, security, port) and the sign-in.
import { FormField, securityLabels } from './form-field.tsx';
import { portAfterSecurityChange, type SmtpForm } from './mail-form-state.ts';
import { mailSecurityModes, type MailSecurity } from './mail-types.ts';

type ServerForm = Omit<SmtpForm, 'enabled'>;

export function ServerFields({
  direction,
  value,
  set,
  errors,
  passwordHint,
  userHint,
}: {
  direction: 'imap' | 'smtp';
  value: ServerForm;
  set: (patch: Partial<ServerForm>) => void;
  errors: Record<string, string>;
  passwordHint: string;
  userHint?: string;
}) {
  const name = direction.toUpperCase();
  return (
    <>
      <div className="field-row mail-server-row">
        <FormField label={`${name} host`} error={errors[`${direction}.host`]}>
          <input
            value={value.host}
            onChange={(e) => set({ host: e.target.value })}
            placeholder={`${direction}.example.com`}
          />
        </FormField>
        <FormField label={`${name} security`} error={errors[`${direction}.security`]}>
          <select
            value={value.security}
            onChange={(e) => {
              const security = e.target.value as MailSecurity;
              set({ security, port: portAfterSecurityChange(direction, value.port, security) });
            }}
          >
            {mailSecurityModes.map((mode) => (
              <option key={mode} value={mode}>
                {securityLabels[mode]}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={`${name} port`} error={errors[`${direction}.port`]}>
          <input inputMode="numeric" value={value.port} onChange={(e) => set({ port: e.target.value })} />
        </FormField>
      </div>
      <div className="field-row">
        <FormField label={`${name} user name`} error={errors[`${direction}.user`]} hint={userHint}>
          <input autoComplete="off" value={value.user} onChange={(e) => set({ user: e.target.value })} />
        </FormField>
        <FormField label={`${name} password`} error={errors[`${direction}.password`]} hint={passwordHint}>
          <input
            type="password"
            autoComplete="new-password"
            value={value.password}
            onChange={(e) => set({ password: e.target.value })}
          />
        </FormField>
      </div>
    </>
  );
}
