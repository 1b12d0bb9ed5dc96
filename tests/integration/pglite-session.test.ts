// The embedded database is one PGlite session shared by every connection. This stress test
// runs several client processes against it (extended-protocol queries, named statements,
// transactions) while a victim process that leaves work half done is SIGKILLed again and
// again: no client may see a protocol error, no acknowledged commit may be lost, and nothing
// the victim left unfinished may be committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPglite } from '../../services/postgres.ts';
import { freePort } from '../../services/ports.ts';
import type { RunningService } from '../../services/service.ts';

const client = path.resolve('tests/support/pglite-stress-client.ts');
const SECONDS = 10;

interface Outcome {
  committed: string[];
  errors: string[];
  exit: Promise<number | string>;
}

function run(url: string, name: string, victim: boolean): { child: ChildProcess; outcome: Outcome } {
  const args = [client, '--url', url, '--name', name, '--seconds', String(SECONDS)];
  if (victim) args.push('--victim');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome: Outcome = {
    committed: [],
    errors: [],
    exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))),
  };
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('committed ')) outcome.committed.push(line.slice(10));
      else if (line.startsWith('error ')) outcome.errors.push(`${name}: ${line.slice(6)}`);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => outcome.errors.push(`${name} stderr: ${chunk.toString().trim()}`));
  return { child, outcome };
}

function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms)),
  ]);
}

describe('embedded database (PGlite) shared session', () => {
  let folder: string;
  let pglite: RunningService<{ url: string }>;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'trellis-pglite-stress-'));
    // A short limit, so the idle-in-transaction case below does not wait the default 30 s.
    process.env.TRELLIS_PGLITE_IDLE_IN_TRANSACTION_MS = '2000';
    try {
      pglite = await startPglite(await freePort(), path.join(folder, 'db'), path.join(folder, 'run'), 'pglite-stress');
    } finally {
      delete process.env.TRELLIS_PGLITE_IDLE_IN_TRANSACTION_MS;
    }
    const setup = new pg.Client({ connectionString: pglite.endpoint.url });
    await setup.connect();
    await setup.query(
      'create table stress_rows (key text primary key, writer text not null, kind text not null, tx text)',
    );
    await setup.end();
  });

  afterAll(async () => {
    await pglite?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps every client isolated while a client is SIGKILLed mid-transaction and mid-sequence', async () => {
    const url = pglite.endpoint.url;
    const steady = ['a', 'b', 'c'].map((name) => run(url, name, false));
    const victims: Outcome[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    let kills = 0;
    while (Date.now() < deadline - 500) {
      const victim = run(url, `victim${kills}`, true);
      victims.push(victim.outcome);
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
      victim.child.kill('SIGKILL');
      await within(victim.outcome.exit, 10_000, () => `victim ${kills} did not die`);
      kills += 1;
    }
    const exits = await within(
      Promise.all(steady.map((s) => s.outcome.exit)),
      (SECONDS + 60) * 1000,
      () => `steady clients still running; errors so far: ${steady.flatMap((s) => s.outcome.errors).join('; ')}`,
    );

    const all = [...steady.map((s) => s.outcome), ...victims];
    const errors = all.flatMap((o) => o.errors);
    expect(errors, 'errors the clients saw').toEqual([]);
    expect(exits).toEqual([0, 0, 0]);
    expect(kills).toBeGreaterThanOrEqual(10);

    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const stored = new Set(
        (await check.query<{ key: string; tx: string | null }>('select key, tx from stress_rows')).rows.map(
          (row) => row.tx ?? row.key,
        ),
      );
      const committed = all.flatMap((o) => o.committed);
      expect(committed.length).toBeGreaterThan(100);
      expect(
        committed.filter((key) => !stored.has(key)),
        'acknowledged commits missing',
      ).toEqual([]);

      const unfinished = await check.query<{ kind: string; n: string }>(
        "select kind, count(*) as n from stress_rows where kind in ('unsynced', 'uncommitted') group by kind",
      );
      expect(unfinished.rows, 'work a killed client left unfinished, committed anyway').toEqual([]);
      const halves = await check.query("select tx from stress_rows where kind = 'tx' group by tx having count(*) <> 2");
      expect(halves.rows, 'transactions stored by half').toEqual([]);

      const session = await check.query<{ tx: boolean; statements: string }>(
        'select now() = statement_timestamp() as tx, (select count(*) from pg_prepared_statements) as statements',
      );
      expect(session.rows[0]).toEqual({ tx: true, statements: '0' });
    } finally {
      await check.end();
    }
  }, 120_000);

  it('gives each connection its own prepared statements of the same name', async () => {
    const url = pglite.endpoint.url;
    const one = new pg.Client({ connectionString: url });
    const two = new pg.Client({ connectionString: url });
    await Promise.all([one.connect(), two.connect()]);
    try {
      const a = await one.query<{ v: number }>({ name: 'same', text: 'select $1::int * 2 as v', values: [21] });
      const b = await two.query<{ v: string }>({ name: 'same', text: "select $1::text || '!' as v", values: ['hi'] });
      const again = await one.query<{ v: number }>({ name: 'same', text: 'select $1::int * 2 as v', values: [5] });
      expect([a.rows[0]?.v, b.rows[0]?.v, again.rows[0]?.v]).toEqual([42, 'hi!', 10]);
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it('cuts off a connection idle in a transaction while others wait, and rolls it back', async () => {
    const url = pglite.endpoint.url;
    const holder = new pg.Client({ connectionString: url });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('begin');
    await holder.query("insert into stress_rows (key, writer, kind) values ('idle-holder', 'idle', 'uncommitted')");
    const other = new pg.Client({ connectionString: url });
    const started = Date.now();
    await other.connect(); // waits behind the open transaction until the holder is cut off
    const { rows } = await other.query<{ n: number }>(
      "select count(*)::int as n from stress_rows where key = 'idle-holder'",
    );
    await other.end();
    expect(rows[0]?.n).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(holder.query('commit')).rejects.toThrow();
  }, 60_000);
});
