// One client process of the embedded-database stress test (tests/integration/pglite-session.test.ts).
// It hammers the database through a `pg` pool with extended-protocol queries, named prepared
// statements and transactions, checks every answer it gets, and prints one line per fact:
//   committed <key>      a row (or a transaction's two rows) whose COMMIT was acknowledged
//   error <message>      anything the database answered that a real PostgreSQL would not have
// With --victim it also leaves work unfinished on purpose (a transaction left open, an
// extended-protocol sequence without its Sync) and waits there to be SIGKILLed.
import net from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cString, message } from '../../services/pglite/wire.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    port: { type: 'string' },
    name: { type: 'string' },
    victim: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
  },
});
const url = values.url ?? '';
const writer = values.name ?? `w${process.pid}`;
const until = Date.now() + Number(values.seconds) * 1000;
const say = (line: string) => process.stdout.write(`${line}\n`);
const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 20_000 });
pool.on('error', (error) => say(`error pool: ${error.message}`));

let sequence = 0;
const nextKey = () => `${writer}-${process.pid}-${++sequence}`;

async function single(): Promise<void> {
  const key = nextKey();
  const { rows } = await pool.query<{ key: string }>(
    'insert into stress_rows (key, writer, kind) values ($1, $2, $3) returning key',
    [key, writer, 'single'],
  );
  if (rows[0]?.key !== key) throw new Error(`insert returned ${JSON.stringify(rows)} for ${key}`);
  say(`committed ${key}`);
}

async function transaction(): Promise<void> {
  const key = nextKey();
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('insert into stress_rows (key, writer, kind, tx) values ($1, $2, $3, $4)', [
      `${key}/a`,
      writer,
      'tx',
      key,
    ]);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    await client.query('insert into stress_rows (key, writer, kind, tx) values ($1, $2, $3, $4)', [
      `${key}/b`,
      writer,
      'tx',
      key,
    ]);
    const seen = await client.query<{ n: string }>('select count(*) as n from stress_rows where tx = $1', [key]);
    if (seen.rows[0]?.n !== '2') throw new Error(`transaction ${key} sees ${seen.rows[0]?.n} of its 2 rows`);
    await client.query('commit');
    say(`committed ${key}`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Parameters must come back as sent: a mixed-up unnamed statement or portal would not. */
async function echo(): Promise<void> {
  const text = `${writer}:${Math.random().toString(36).slice(2)}`;
  const number = Math.floor(Math.random() * 1_000_000);
  const { rows } = await pool.query<{ text: string; number: number }>({
    text: 'select $1::text as text, $2::int as number',
    values: [text, number],
  });
  if (rows[0]?.text !== text || rows[0]?.number !== number) {
    throw new Error(`echo of ${text}/${number} came back as ${JSON.stringify(rows[0])}`);
  }
}

/** The same statement name prepared by every process (and each pooled connection). */
async function named(): Promise<void> {
  const { rows } = await pool.query<{ writer: string }>({
    name: 'count-mine',
    text: 'select $1::text as writer, count(*) as n from stress_rows where writer = $1',
    values: [writer],
  });
  if (rows[0]?.writer !== writer) throw new Error(`named statement answered for ${rows[0]?.writer}`);
}

/** A raw connection that inserts with Parse/Bind/Execute and never sends Sync. */
async function unsyncedInsert(): Promise<net.Socket> {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const startupBody = Buffer.concat([
    Buffer.from([0, 3, 0, 0]),
    cString('user'),
    cString('postgres'),
    cString('database'),
    cString('postgres'),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(4 + startupBody.length);
  socket.write(Buffer.concat([length, startupBody]));
  const key = nextKey();
  const sql = `insert into stress_rows (key, writer, kind) values ('${key}', '${writer}', 'unsynced')`;
  socket.write(
    Buffer.concat([
      message('P', Buffer.concat([cString(''), cString(sql), Buffer.from([0, 0])])),
      message('B', Buffer.concat([cString(''), cString(''), Buffer.alloc(6)])),
      message('E', Buffer.concat([cString(''), Buffer.alloc(4)])),
    ]),
  );
  socket.on('error', () => undefined);
  return socket;
}

/** A transaction with a row in it, left open. */
async function openTransaction(): Promise<pg.PoolClient> {
  const client = await pool.connect();
  await client.query('begin');
  await client.query('insert into stress_rows (key, writer, kind) values ($1, $2, $3)', [
    nextKey(),
    writer,
    'uncommitted',
  ]);
  return client;
}

async function loop(): Promise<void> {
  const steps = [single, transaction, echo, named];
  while (Date.now() < until) {
    const step = steps[Math.floor(Math.random() * steps.length)] ?? single;
    try {
      await step();
    } catch (error) {
      say(`error ${step.name}: ${(error as Error).message}`);
    }
  }
}

if (values.victim) {
  void loop();
  void loop();
  // Leave something unfinished, then wait to be killed in the middle of it.
  await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 80));
  if (Math.random() < 0.5) await unsyncedInsert();
  else await openTransaction();
  await new Promise((resolve) => setTimeout(resolve, 60_000));
} else {
  await Promise.all([loop(), loop(), loop()]);
  await pool.end();
  say('done');
}
