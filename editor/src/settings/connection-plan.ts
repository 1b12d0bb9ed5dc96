// Which test a form's "Test connection" runs, per direction: the saved account's stored settings
// when that direction is unchanged, the typed settings otherwise. Changed settings of a saved
// account need their password typed again: the server never sends the stored one back.
import { imapInput, smtpInput, type MailForm } from './mail-form-state.ts';
import type { MailAccount, MailDirection, UnsavedSettings } from './mail-types.ts';

export interface TestPlan {
  saved: MailDirection[];
  unsaved: UnsavedSettings;
  /** Changed directions whose stored password cannot be used to try them. */
  needPassword: MailDirection[];
}

export function planConnectionTest(form: MailForm, initial: MailForm, account: MailAccount | undefined): TestPlan {
  const plan: TestPlan = { saved: [], unsaved: {}, needPassword: [] };
  for (const direction of ['imap', 'smtp'] as const) {
    const now = form[direction];
    if (!now.enabled) continue;
    const unchanged = initial[direction].enabled && JSON.stringify(now) === JSON.stringify(initial[direction]);
    const stored = account?.[direction]?.hasPassword === true;
    if (account && unchanged) plan.saved.push(direction);
    else if (stored && !now.password && now.user.trim()) plan.needPassword.push(direction);
    else if (direction === 'imap') plan.unsaved.imap = imapInput(form.imap);
    else plan.unsaved.smtp = smtpInput(form.smtp);
  }
  return plan;
}
