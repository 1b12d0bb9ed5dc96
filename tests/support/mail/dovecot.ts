// A real IMAP server for the mail tests: Dovecot from Debian (`apt-get install -y dovecot-imapd`),
// started by the test itself on a free loopback port with its own configuration, a passwd-file
// user and Maildirs under a temporary folder. Nothing of the machine's own Dovecot is used.
// As root, Dovecot's login processes must not run as root and mail must not be owned by uid 0:
// the Debian package's `dovenull` and `dovecot` users take those parts.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { canConnect, freePort } from '../../../services/ports.ts';

export interface DovecotUser {
  user: string;
  password: string;
}

export interface Dovecot {
  host: string;
  port: number;
  /** The first user, the one most tests need. */
  user: string;
  password: string;
  dir: string;
  /** Adds a message to a folder (INBOX by default) over IMAP APPEND; returns its UID. */
  append(raw: string | Buffer, options?: { folder?: string; user?: DovecotUser; flags?: string[] }): Promise<number>;
  /** The raw messages in a folder, oldest first. */
  messages(folder?: string, user?: DovecotUser): Promise<{ uid: number; source: Buffer; flags: string[] }[]>;
  /** Creates a folder. */
  createFolder(folder: string, user?: DovecotUser): Promise<void>;
  /** How many IMAP sessions are open now, for a user (doveadm who). */
  sessions(user?: string): number;
  /** Drops every session of a user (doveadm kick): what a server restart or a NAT timeout does to IDLE. */
  kick(user?: string): void;
  stop(): Promise<void>;
  /** Starts it again on the same port with the same mail. */
  start(): Promise<void>;
  log(): string;
}

const isRoot = () => process.getuid?.() === 0;

function systemIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function dovecotBinary(): string {
  for (const candidate of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) if (existsSync(candidate)) return candidate;
  throw new Error(
    'Dovecot is not installed: `apt-get install -y dovecot-imapd` (./trellis test and .ci/run install it when root)',
  );
}

function configText(dir: string, port: number, maxConnections: number): string {
  const me = userInfo();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  const mailOwner = isRoot() ? systemIds('dovecot') : { uid: me.uid, gid: me.gid };
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${me.username}
default_internal_group = ${group}
default_login_user = ${isRoot() ? 'dovenull' : me.username}
first_valid_uid = 0
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service auth {
  user = ${me.username}
}
protocol imap {
  mail_max_userip_connections = ${maxConnections}
  imap_idle_notify_interval = 1 secs
}
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}
`;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms; Dovecot's log:\n${log()}`);
}

/**
 * Starts a private Dovecot. `users` defaults to one user, op@example.test; `maxConnections` is
 * Dovecot's mail_max_userip_connections (the limit a leaking client runs into).
 */
export async function startDovecot(options: { users?: DovecotUser[]; maxConnections?: number } = {}): Promise<Dovecot> {
  const binary = dovecotBinary();
  const users = options.users ?? [{ user: 'op@example.test', password: 'op-password' }];
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-dovecot-'));
  const port = await freePort();
  const configFile = path.join(dir, 'dovecot.conf');
  for (const sub of ['run', 'state', 'mail', 'home']) mkdirSync(path.join(dir, sub), { recursive: true });
  if (isRoot()) {
    // The mail processes run as `dovecot` and must reach their Maildirs through this folder.
    chmodSync(dir, 0o711);
    const owner = systemIds('dovecot');
    for (const sub of ['mail', 'home']) chownSync(path.join(dir, sub), owner.uid, owner.gid);
  }
  writeFileSync(path.join(dir, 'passwd'), users.map((u) => `${u.user}:{PLAIN}${u.password}::::::\n`).join(''), {
    mode: 0o600,
  });
  writeFileSync(configFile, configText(dir, port, options.maxConnections ?? 20));
  const logFile = path.join(dir, 'dovecot.log');
  const log = () =>
    existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  const doveadm = (...args: string[]) => execFileSync('doveadm', ['-c', configFile, ...args], { encoding: 'utf8' });
  const first = users[0]!;

  const connect = async (user: DovecotUser = first) => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
    });
    await client.connect();
    return client;
  };
  const withClient = async <T>(user: DovecotUser | undefined, work: (client: ImapFlow) => Promise<T>) => {
    const client = await connect(user);
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };

  const start = async () => {
    execFileSync(binary, ['-c', configFile], { stdio: 'ignore' }); // Dovecot forks; inherited pipes would keep us waiting.
    await until('Dovecot did not listen', () => canConnect(port), 10_000, log);
  };
  const stop = async () => {
    try {
      doveadm('stop');
    } catch {
      // Not running.
    }
    await until('Dovecot did not stop', async () => !(await canConnect(port)), 10_000, log);
  };
  await start();

  return {
    host: '127.0.0.1',
    port,
    user: first.user,
    password: first.password,
    dir,
    append: (raw, { folder = 'INBOX', user, flags = [] } = {}) =>
      withClient(user, async (client) => {
        const appended = await client.append(folder, raw, flags);
        if (!appended || !appended.uid) throw new Error(`APPEND to ${folder} returned no UID`);
        return appended.uid;
      }),
    messages: (folder = 'INBOX', user) =>
      withClient(user, async (client) => {
        const lock = await client.getMailboxLock(folder);
        try {
          const found: { uid: number; source: Buffer; flags: string[] }[] = [];
          if (client.mailbox && client.mailbox.exists === 0) return found;
          for await (const message of client.fetch('1:*', { uid: true, source: true, flags: true })) {
            found.push({
              uid: message.uid,
              source: message.source ?? Buffer.alloc(0),
              flags: [...(message.flags ?? [])],
            });
          }
          return found;
        } finally {
          lock.release();
        }
      }),
    createFolder: (folder, user) =>
      withClient(user, async (client) => {
        await client.mailboxCreate(folder);
      }),
    sessions: (user = first.user) => {
      const out = doveadm('who', '-1', user);
      return out.split('\n').filter((line) => line.trim() && !line.startsWith('username')).length;
    },
    kick: (user = first.user) => {
      try {
        doveadm('kick', user);
      } catch {
        // Nobody to kick.
      }
    },
    stop,
    start,
    log,
  };
}

/** Stops a Dovecot and removes its folder. */
export async function removeDovecot(dovecot: Dovecot | undefined): Promise<void> {
  if (!dovecot) return;
  await dovecot.stop();
  rmSync(dovecot.dir, { recursive: true, force: true });
}
