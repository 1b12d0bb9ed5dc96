// The reading half of the account form: where Trellis reads mail, and what it does with it.
import { FormField } from './form-field.tsx';
import type { ImapForm } from './mail-form-state.ts';
import { mailAfterRunActions, type MailAfterRun } from './mail-types.ts';
import { ServerFields } from './server-fields.tsx';

const afterRunLabels: Record<MailAfterRun, string> = {
  none: 'Leave it as it is (read-only)',
  flag: 'Mark it as read',
  move: 'Move it to a folder',
};

export function ImapFields({
  value,
  onChange,
  errors,
  passwordHint,
}: {
  value: ImapForm;
  onChange: (next: ImapForm) => void;
  errors: Record<string, string>;
  passwordHint: string;
}) {
  const set = (patch: Partial<ImapForm>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="plain-fieldset mail-direction">
      <legend>
        <label className="checkbox-field">
          <input type="checkbox" checked={value.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Read mail from this mailbox (IMAP)
        </label>
      </legend>
      {value.enabled ? (
        <>
          <ServerFields direction="imap" value={value} set={set} errors={errors} passwordHint={passwordHint} />
          <div className="field-row">
            <FormField label="Folders to watch" error={errors['imap.folders']} hint="One a line; INBOX when empty.">
              <textarea rows={2} value={value.folders} onChange={(e) => set({ folders: e.target.value })} />
            </FormField>
            <FormField
              label="Sent folder"
              error={errors['imap.sentFolder']}
              hint="Where sent replies are filed; empty: the server's Sent folder."
            >
              <input value={value.sentFolder} onChange={(e) => set({ sentFolder: e.target.value })} />
            </FormField>
          </div>
          <div className="field-row">
            <FormField label="Once its run has started, the message…" error={errors['imap.afterRun']}>
              <select value={value.afterRun} onChange={(e) => set({ afterRun: e.target.value as MailAfterRun })}>
                {mailAfterRunActions.map((action) => (
                  <option key={action} value={action}>
                    {afterRunLabels[action]}
                  </option>
                ))}
              </select>
            </FormField>
            {value.afterRun === 'move' ? (
              <FormField label="Move to folder" error={errors['imap.moveTo']}>
                <input value={value.moveTo} onChange={(e) => set({ moveTo: e.target.value })} />
              </FormField>
            ) : null}
            <FormField
              label="Back-fill (days)"
              error={errors['imap.backfillDays']}
              hint="On the first connection, also take the mail of this many past days."
            >
              <input
                inputMode="numeric"
                value={value.backfillDays}
                onChange={(e) => set({ backfillDays: e.target.value })}
              />
            </FormField>
          </div>
        </>
      ) : null}
    </fieldset>
  );
}
