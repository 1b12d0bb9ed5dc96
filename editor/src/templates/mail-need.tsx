// What a template says about mail accounts: "Needs a mail account" on its card and in its dialog,
// with a link to Settings › Mail when none exists yet; the dialog offers the existing accounts.
import type { MailAccountNeed, TemplateNeeds } from '../../../schemas/template-needs.ts';
import { paths } from '../app/router.ts';
import { Link } from '../ui/link.tsx';

export function mailNeedsOf(needs: TemplateNeeds | undefined): MailAccountNeed[] {
  return needs?.mailAccounts ?? [];
}

/** The mark on a template card (and in its dialog). `accounts` is undefined while loading. */
export function MailNeedNote({
  needs,
  accounts,
}: {
  needs: TemplateNeeds | undefined;
  accounts: string[] | undefined;
}) {
  const mail = mailNeedsOf(needs);
  if (mail.length === 0) return null;
  const required = mail.some((need) => !need.optional);
  const missing = accounts !== undefined && accounts.length === 0;
  return (
    <div className={required && missing ? 'template-need notice' : 'template-need'} role="note">
      <span className="template-need-title">{required ? 'Needs a mail account' : 'Can use a mail account'}</span>
      <span className="small"> {mail.map((need) => need.purpose).join(' ')}</span>
      {missing ? (
        <>
          {' '}
          <Link href={paths.mailSettings} className="small">
            {required ? 'None yet: add one in mail settings' : 'Add one in mail settings'}
          </Link>
        </>
      ) : null}
    </div>
  );
}

/** The template's parameter schema with each mail-account parameter offering the existing accounts. */
export function withAccountChoices(
  parameters: Record<string, unknown>,
  needs: TemplateNeeds | undefined,
  accounts: string[] | undefined,
): Record<string, unknown> {
  const mail = mailNeedsOf(needs);
  if (mail.length === 0 || !accounts?.length) return parameters;
  const properties = { ...(parameters.properties as Record<string, Record<string, unknown>>) };
  for (const need of mail) {
    const property = properties[need.parameter];
    if (property) properties[need.parameter] = { ...property, enum: accounts };
  }
  return { ...parameters, properties };
}
