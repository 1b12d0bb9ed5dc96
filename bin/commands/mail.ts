import { Command, Option } from 'commander';
import { apiClient } from './api-client.ts';
import { addIntakeCommands } from './mail-intake.ts';
import { printJson, printTable } from './output.ts';

// `trellis mail`: the mail accounts, through /api/mail/accounts. A password is never a
// command-line argument (other users of the machine can read argv): it comes from an environment
// variable or from one line on stdin (--password-stdin).

interface Side {
  host: string;
  port: number;
  security: string;
  user?: string;
  folders?: string[];
  sentFolder?: string;
  hasPassword?: boolean;
}

interface MailAccount {
  id: string;
  displayName?: string;
  address: string;
  imap?: Side;
  smtp?: Side;
  imapState: string;
  imapError?: string;
  smtpState: string;
  smtpError?: string;
}

type TestResult =
  | { ok: true; details: { folders?: string[]; sentFolder?: string; idle?: boolean; authenticated?: boolean } }
  | { ok: false; code: string; message: string };

const securityModes = ['tls', 'starttls', 'none'];
const defaultPort = { imap: { tls: 993, starttls: 143, none: 143 }, smtp: { tls: 465, starttls: 587, none: 587 } };

/** The first line of stdin, without its line ending: `printf %s "$PW" | trellis mail add … --password-stdin`. */
async function readPasswordLine(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  let data = '';
  for await (const chunk of stdin) {
    data += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (data.includes('\n')) break;
  }
  const line = data.split(/\r?\n/)[0] ?? '';
  if (!line) throw new Error('--password-stdin: stdin had no password line');
  return line;
}

interface AddOptions {
  address: string;
  name?: string;
  imapHost?: string;
  imapPort?: string;
  imapSecurity: keyof (typeof defaultPort)['imap'];
  imapUser?: string;
  folders?: string;
  sentFolder?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpSecurity: keyof (typeof defaultPort)['smtp'];
  smtpUser?: string;
  smtpNoAuth?: boolean;
  passwordStdin?: boolean;
  json?: boolean;
}

/** Passwords: stdin for both sides, else TRELLIS_MAIL_IMAP_PASSWORD / _SMTP_PASSWORD, else TRELLIS_MAIL_PASSWORD. */
async function passwords(options: AddOptions, env = process.env): Promise<{ imap?: string; smtp?: string }> {
  const shared = options.passwordStdin ? await readPasswordLine() : env.TRELLIS_MAIL_PASSWORD;
  return {
    imap: (options.passwordStdin ? undefined : env.TRELLIS_MAIL_IMAP_PASSWORD) ?? shared,
    smtp: (options.passwordStdin ? undefined : env.TRELLIS_MAIL_SMTP_PASSWORD) ?? shared,
  };
}

async function accountInput(id: string, options: AddOptions): Promise<Record<string, unknown>> {
  if (!options.imapHost && !options.smtpHost) throw new Error('give --imap-host, --smtp-host or both');
  const secret = await passwords(options);
  const imap = options.imapHost && {
    host: options.imapHost,
    port: Number(options.imapPort ?? defaultPort.imap[options.imapSecurity]),
    security: options.imapSecurity,
    user: options.imapUser ?? options.address,
    ...(options.folders ? { folders: options.folders.split(',').map((folder) => folder.trim()) } : {}),
    ...(options.sentFolder ? { sentFolder: options.sentFolder } : {}),
    ...(secret.imap ? { password: secret.imap } : {}),
  };
  const smtpUser = options.smtpNoAuth ? undefined : (options.smtpUser ?? options.imapUser ?? options.address);
  const smtp = options.smtpHost && {
    host: options.smtpHost,
    port: Number(options.smtpPort ?? defaultPort.smtp[options.smtpSecurity]),
    security: options.smtpSecurity,
    ...(smtpUser ? { user: smtpUser } : {}),
    ...(smtpUser && secret.smtp ? { password: secret.smtp } : {}),
  };
  return {
    id,
    address: options.address,
    ...(options.name ? { displayName: options.name } : {}),
    ...(imap ? { imap } : {}),
    ...(smtp ? { smtp } : {}),
  };
}

const sideText = (side: Side | undefined) => (side ? `${side.host}:${side.port} ${side.security}` : '-');
const stateText = (state: string, error?: string) => (error ? `${state}: ${error}` : state);

function printAccount(account: MailAccount): void {
  console.log(`${account.id}  ${account.displayName ? `${account.displayName} ` : ''}<${account.address}>`);
  for (const direction of ['imap', 'smtp'] as const) {
    const side = account[direction];
    const state = stateText(account[`${direction}State`], account[`${direction}Error`]);
    if (!side) console.log(`  ${direction}  none`);
    else
      console.log(
        `  ${direction}  ${sideText(side)}, user ${side.user ?? '(none)'}, password ${side.hasPassword ? 'stored' : 'none'} — ${state}`,
      );
  }
}

function printTestResult(direction: string, result: TestResult): void {
  if (!result.ok) {
    console.log(`${direction}  failing (${result.code}): ${result.message}`);
    return;
  }
  const { folders, sentFolder, idle, authenticated } = result.details;
  const facts =
    direction === 'imap'
      ? [
          `folders: ${(folders ?? []).join(', ')}`,
          `Sent: ${sentFolder ?? 'none marked'}`,
          `IDLE: ${idle ? 'yes' : 'no'}`,
        ]
      : [authenticated ? 'logged in' : 'no authentication'];
  console.log(`${direction}  ok — ${facts.join('; ')}`);
}

/** `trellis mail list|add|test|remove`. */
export function mailCommand(): Command {
  const command = new Command('mail').description('mail accounts: the mailbox Trellis reads and sends from');

  command
    .command('list')
    .description('list mail accounts and whether each side works')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { accounts } = await apiClient().request<{ accounts: MailAccount[] }>('GET', '/mail/accounts');
      if (options.json) return printJson(accounts);
      printTable(
        accounts.map((a) => ({
          id: a.id,
          address: a.address,
          imap: sideText(a.imap),
          'imap state': a.imapState,
          smtp: sideText(a.smtp),
          'smtp state': a.smtpState,
        })),
        ['id', 'address', 'imap', 'imap state', 'smtp', 'smtp state'],
      );
    });

  command
    .command('add')
    .argument('<id>', 'account id, also the source name its mail is ingested under (a-z, 0-9, - and _)')
    .description(
      'add an account; the password comes from --password-stdin (one line, both sides) or the environment: ' +
        'TRELLIS_MAIL_PASSWORD, or TRELLIS_MAIL_IMAP_PASSWORD and TRELLIS_MAIL_SMTP_PASSWORD',
    )
    .requiredOption('--address <email>', 'the From address of what Trellis sends')
    .option('--name <name>', 'name shown to recipients')
    .option('--imap-host <host>', 'IMAP server')
    .option('--imap-port <port>', 'IMAP port (default 993 for tls, 143 otherwise)')
    .addOption(new Option('--imap-security <mode>', 'IMAP security').choices(securityModes).default('tls'))
    .option('--imap-user <user>', 'IMAP user name (default: the address)')
    .option('--folders <list>', 'folders to watch, comma-separated (default INBOX)')
    .option('--sent-folder <folder>', "where sent replies are filed (default: the server's \\Sent folder)")
    .option('--smtp-host <host>', 'SMTP server')
    .option('--smtp-port <port>', 'SMTP port (default 465 for tls, 587 otherwise)')
    .addOption(new Option('--smtp-security <mode>', 'SMTP security').choices(securityModes).default('starttls'))
    .option('--smtp-user <user>', 'SMTP user name (default: the IMAP user)')
    .option('--smtp-no-auth', 'the SMTP server takes mail without logging in (a local sink)')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--json', 'print JSON')
    .action(async (id: string, options: AddOptions) => {
      const account = await apiClient().request<MailAccount>('POST', '/mail/accounts', await accountInput(id, options));
      if (options.json) return printJson(account);
      printAccount(account);
      console.log(`\nCheck that it connects:\n  trellis mail test ${id}`);
    });

  command
    .command('test')
    .argument('<id>', 'account id')
    .description('connect with the stored settings and record whether each side works')
    .option('--imap', 'only IMAP')
    .option('--smtp', 'only SMTP')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { imap?: boolean; smtp?: boolean; json?: boolean }) => {
      const direction = options.imap && !options.smtp ? 'imap' : options.smtp && !options.imap ? 'smtp' : 'both';
      const report = await apiClient().request<{ imap?: TestResult; smtp?: TestResult }>(
        'POST',
        `/mail/accounts/${encodeURIComponent(id)}/test`,
        { direction },
      );
      if (Object.values(report).some((result) => !result.ok)) process.exitCode = 1;
      if (options.json) return printJson(report);
      for (const side of ['imap', 'smtp'] as const) {
        const result = report[side];
        if (result) printTestResult(side, result);
      }
    });

  command
    .command('remove')
    .argument('<id>', 'account id')
    .description('remove an account (its events and sent mail stay)')
    .action(async (id: string) => {
      await apiClient().request('DELETE', `/mail/accounts/${encodeURIComponent(id)}`);
      console.log(`removed mail account ${id}`);
    });

  addIntakeCommands(command);
  return command;
}
