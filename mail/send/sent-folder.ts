import type { ImapFlow } from 'imapflow';
import { imapClient, type ImapSecrets } from '../connections.ts';

/** The folder sent mail is filed in: the configured one, else the server's \Sent folder, else none. */
async function sentFolderOf(client: ImapFlow, settings: ImapSecrets): Promise<string | undefined> {
  if (settings.sentFolder) return settings.sentFolder;
  const folders = await client.list();
  return folders.find((folder) => folder.specialUse === '\\Sent')?.path;
}

async function withSentFolder<T>(
  settings: ImapSecrets,
  work: (client: ImapFlow, folder: string) => Promise<T>,
): Promise<{ folder: string; value: T } | undefined> {
  const client = imapClient(settings, { clientName: 'Trellis sender' });
  client.on('error', () => {}); // a dropped session surfaces as the failed command below
  await client.connect();
  try {
    const folder = await sentFolderOf(client, settings);
    if (!folder) return undefined;
    return { folder, value: await work(client, folder) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Whether a message with this Message-ID is in the Sent folder; undefined when the account has none. */
export async function findInSent(
  settings: ImapSecrets,
  messageId: string,
): Promise<{ folder: string; found: boolean } | undefined> {
  const result = await withSentFolder(settings, async (client, folder) => {
    const lock = await client.getMailboxLock(folder, { readOnly: true });
    try {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      return Array.isArray(uids) && uids.length > 0;
    } finally {
      lock.release();
    }
  });
  return result && { folder: result.folder, found: result.value };
}

/** Files the sent bytes in the Sent folder, read; the folder's name, or undefined when the account has none. */
export async function appendToSent(settings: ImapSecrets, raw: Buffer): Promise<string | undefined> {
  const result = await withSentFolder(settings, async (client, folder) => {
    await client.append(folder, raw, ['\\Seen']);
  });
  return result?.folder;
}
