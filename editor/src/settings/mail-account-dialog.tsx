// Adds or edits an account: the settings of each direction, a connection test before anything is
// saved, and the server's field errors shown on the fields they name.
import { useEffect, useRef, useState } from 'react';
import { ApiError, describeError, type FieldProblem } from '../api/client.ts';
import { Dialog } from '../ui/dialog.tsx';
import { toast } from '../ui/toasts.tsx';
import { ConnectionResults } from './connection-results.tsx';
import { FormField } from './form-field.tsx';
import { ImapFields } from './imap-fields.tsx';
import { mailApi } from './mail-api.ts';
import { accountInput, accountPatch, emptyForm, fieldKey, formFromAccount, type MailForm } from './mail-form-state.ts';
import { planConnectionTest } from './connection-plan.ts';
import type { ConnectionTest, MailAccount, MailDirection } from './mail-types.ts';
import { SmtpFields } from './smtp-fields.tsx';

/** The keys the form shows errors under; anything else is listed above the buttons. */
const fieldKeys = new Set(
  ['id', 'displayName', 'address'].concat(
    ['host', 'port', 'security', 'user', 'password', 'folders', 'sentFolder', 'afterRun', 'moveTo', 'backfillDays'].map(
      (f) => `imap.${f}`,
    ),
    ['host', 'port', 'security', 'user', 'password'].map((f) => `smtp.${f}`),
  ),
);

function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  return (error.errors as Partial<FieldProblem>[]).flatMap((e) =>
    typeof e.message === 'string' ? [{ pointer: e.pointer ?? '', message: e.message }] : [],
  );
}

export function MailAccountDialog({
  account,
  onClose,
  onSaved,
}: {
  /** The account to edit; undefined adds one. */
  account: MailAccount | undefined;
  onClose: () => void;
  onSaved: (account: MailAccount) => void;
}) {
  const editing = account !== undefined;
  const [initial] = useState<MailForm>(() => (account ? formFromAccount(account) : emptyForm()));
  const [form, setFormState] = useState<MailForm>(initial);
  const [busy, setBusy] = useState<'test' | 'save' | undefined>();
  const [test, setTest] = useState<ConnectionTest | undefined>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<string | undefined>();
  const [needPassword, setNeedPassword] = useState<MailDirection[]>([]);
  const formRef = useRef<HTMLFormElement>(null);

  // A test's answer is about the settings it tried: once they change, it is gone.
  const setForm = (next: MailForm) => {
    setFormState(next);
    setTest(undefined);
    setNeedPassword([]);
  };

  // After a refusal, the first field it names takes the focus (it may be scrolled out of view);
  // a test's answer, below the fields, is scrolled to.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  useEffect(() => {
    if (test) formRef.current?.querySelector('.connection-results')?.scrollIntoView({ block: 'nearest' });
  }, [test]);

  const errors: Record<string, string> = {};
  for (const problem of problems) errors[fieldKey(problem.pointer)] ??= problem.message;
  // A problem on a whole part (`/imap` matches no alternative) says less than one on its field.
  const otherProblems = problems.filter(
    (p) =>
      !fieldKeys.has(fieldKey(p.pointer)) &&
      !problems.some((q) => q.pointer.startsWith(`${p.pointer === '/' ? '' : p.pointer}/`) && q !== p),
  );

  const passwordHint = (stored: boolean | undefined) =>
    editing && stored ? 'Leave empty to keep the stored password.' : 'Stored sealed; never shown again.';

  const runTest = async (): Promise<ConnectionTest> => {
    const plan = planConnectionTest(form, initial, account);
    const [saved, unsaved] = await Promise.all([
      plan.saved.length > 0 ? mailApi.testSaved(form.id, plan.saved.length === 2 ? 'both' : plan.saved[0]) : {},
      plan.unsaved.imap || plan.unsaved.smtp ? mailApi.testUnsaved(plan.unsaved) : {},
    ]);
    setNeedPassword(plan.needPassword);
    return { ...saved, ...unsaved };
  };

  const run = async (what: 'test' | 'save') => {
    setBusy(what);
    setFailure(undefined);
    setProblems([]);
    if (what === 'test') {
      setTest(undefined);
      setNeedPassword([]);
    }
    try {
      if (what === 'test') setTest(await runTest());
      else {
        const patch = editing ? accountPatch(form, initial) : undefined;
        if (editing && !patch) return onClose();
        const saved = patch ? await mailApi.update(form.id, patch) : await mailApi.create(accountInput(form));
        toast.success(editing ? `Saved ${saved.address}.` : `Added ${saved.address}.`);
        onSaved(saved);
      }
    } catch (error) {
      const found = fieldProblems(error);
      setProblems(found);
      setFailure(found.length > 0 ? 'Some settings need a fix (marked above).' : describeError(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Dialog
      title={editing ? `Edit ${account.address}` : 'Add a mail account'}
      open
      onClose={onClose}
      busy={!!busy}
      wide
    >
      <form
        ref={formRef}
        className="mail-account-form"
        aria-label="Mail account"
        onSubmit={(e) => {
          e.preventDefault();
          void run('save');
        }}
      >
        <fieldset className="plain-fieldset" disabled={!!busy}>
          <div className="field-row">
            <FormField
              label="Account id"
              error={errors.id}
              hint={editing ? 'The id cannot change.' : 'Lowercase letters, digits, - and _; workflows listen to it.'}
            >
              <input
                value={form.id}
                readOnly={editing}
                onChange={(e) => setForm({ ...form, id: e.target.value })}
                placeholder="studio"
              />
            </FormField>
            <FormField label="Name shown to recipients" error={errors.displayName}>
              <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} />
            </FormField>
            <FormField label="Email address" error={errors.address}>
              <input
                type="email"
                value={form.address}
                onChange={(e) => setForm({ ...form, address: e.target.value })}
                placeholder="you@example.com"
              />
            </FormField>
          </div>
          <ImapFields
            value={form.imap}
            onChange={(imap) => setForm({ ...form, imap })}
            errors={errors}
            passwordHint={passwordHint(account?.imap?.hasPassword)}
          />
          <SmtpFields
            value={form.smtp}
            onChange={(smtp) => setForm({ ...form, smtp })}
            errors={errors}
            passwordHint={passwordHint(account?.smtp?.hasPassword)}
          />
        </fieldset>
        {busy === 'test' ? (
          <p role="status" className="muted small">
            Trying the connection… (at most about half a minute)
          </p>
        ) : null}
        {test ? <ConnectionResults test={test} /> : null}
        {needPassword.length > 0 ? (
          <p className="notice small">
            To try the changed {needPassword.map((d) => d.toUpperCase()).join(' and ')} settings, type the password
            again; saving without one keeps the stored password.
          </p>
        ) : null}
        {failure ? (
          <div role="alert" className="error-text">
            <p>{failure}</p>
            {otherProblems.length > 0 ? (
              <ul>
                {otherProblems.map((p) => (
                  <li key={`${p.pointer}|${p.message}`}>
                    <code>{p.pointer || '/'}</code> {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} disabled={!!busy}>
            Cancel
          </button>
          <button type="button" className="btn" onClick={() => void run('test')} disabled={!!busy}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!!busy}>
            {busy === 'save' ? 'Saving…' : editing ? 'Save changes' : 'Save account'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
