import type { Command } from 'commander';
import { apiClient, type ApiClient } from './api-client.ts';
import { printJson, printTable, progress } from './output.ts';

// `trellis mail intake <id>` (where each watched folder stands) and `trellis mail backfill <id>
// --days N` (ask for the last N days again and follow it with a progress bar until every folder
// has finished, or the wait ends: the back-fill itself goes on in the server either way).

interface FolderIntake {
  folder: string;
  lastUid: number;
  backfill?: { total: number; done: number };
  backfillRequestedDays?: number;
  routingOwed?: number;
  lastError?: string;
  listener?: { state: string; idle: boolean };
}

interface IntakeStatus {
  accountId: string;
  imapState: string;
  imapError?: string;
  folders: FolderIntake[];
}

const POLL_MS = 1_000;

const intakeOf = (api: ApiClient, id: string) =>
  api.request<IntakeStatus>('GET', `/mail/accounts/${encodeURIComponent(id)}/intake`);

/** A folder's back-fill is finished once its request is cleared and its count is complete. */
const finished = (folder: FolderIntake) =>
  folder.backfillRequestedDays === undefined && (!folder.backfill || folder.backfill.done >= folder.backfill.total);

function printIntake(status: IntakeStatus): void {
  console.log(`IMAP ${status.imapState}${status.imapError ? `: ${status.imapError}` : ''}`);
  printTable(
    status.folders.map((folder) => ({
      folder: folder.folder,
      listener: folder.listener ? `${folder.listener.state}${folder.listener.idle ? ' (IDLE)' : ''}` : '',
      lastUid: folder.lastUid,
      backfill: folder.backfill
        ? `${folder.backfill.done}/${folder.backfill.total}${finished(folder) ? '' : ' …'}`
        : folder.backfillRequestedDays
          ? 'asked'
          : '',
      routing: folder.routingOwed ? `${folder.routingOwed} to route` : '',
      lastError: folder.lastError ?? '',
    })),
    ['folder', 'listener', 'lastUid', 'backfill', 'routing', 'lastError'],
  );
}

export function addIntakeCommands(command: Command): void {
  command
    .command('intake')
    .argument('<id>', 'account id')
    .description('where the intake of each watched folder stands (listener, last UID, back-fill, last error)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const status = await intakeOf(apiClient(), id);
      if (options.json) printJson(status);
      else printIntake(status);
    });

  command
    .command('backfill')
    .argument('<id>', 'account id')
    .description('take the last N days of mail again (mail taken before is not taken twice) and follow it')
    .requiredOption('--days <n>', 'how many days back', (value) => Number.parseInt(value, 10))
    .option('--no-wait', 'ask for it and return at once')
    .option('--timeout <minutes>', 'stop following after this long (default 60)', (value) => Number(value), 60)
    .option('--json', 'print JSON (the final status)')
    .action(async (id: string, options: { days: number; wait: boolean; timeout: number; json?: boolean }) => {
      const api = apiClient();
      await api.request('POST', `/mail/intake/${encodeURIComponent(id)}/backfill`, { days: options.days });
      if (!options.wait) return options.json ? printJson(await intakeOf(api, id)) : console.log('back-fill asked for');
      const bar = progress(0, options.json === true);
      const deadline = Date.now() + options.timeout * 60_000;
      let status = await intakeOf(api, id);
      while (!status.folders.every(finished) && Date.now() < deadline) {
        const total = status.folders.reduce((sum, folder) => sum + (folder.backfill?.total ?? 0), 0);
        const done = status.folders.reduce((sum, folder) => sum + (folder.backfill?.done ?? 0), 0);
        bar.setTotal(total);
        bar.update(done, status.imapError ?? status.folders.find((folder) => folder.lastError)?.lastError ?? '');
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        status = await intakeOf(api, id);
      }
      bar.stop();
      const complete = status.folders.every(finished);
      if (!complete) process.exitCode = 1;
      if (options.json) return printJson(status);
      printIntake(status);
      console.log(
        complete
          ? 'back-fill finished'
          : `still running after ${options.timeout} min; it goes on in the server (trellis mail intake ${id})`,
      );
    });
}
