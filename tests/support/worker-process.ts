// A worker in its own process, so fault tests can SIGKILL it for real. Registers the built-in
// nodes and the test plugins; node services are the database only (what the test nodes use).
// TRELLIS_DATA_DIR names the folder of the keyring its payload codec shares with the test's harness.
import { createModelRouter } from '../../models/index.ts';
import { connectDb } from '../../store/db.ts';
import { createWorker } from '../../temporal/worker.ts';
import { dbOnlyServices, productCodecs, quietTemporalRuntime, testRegistry } from './interpreter-harness.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

quietTemporalRuntime();
const db = connectDb({ url: env('DATABASE_URL'), embedded: process.env.TRELLIS_POSTGRES_EMBEDDED === 'true' });
const { worker } = await createWorker({
  address: env('TEMPORAL_ADDRESS'),
  namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
  taskQueue: env('TRELLIS_TASK_QUEUE'),
  registry: await testRegistry(),
  // With TRELLIS_LLM_BASE_URL (a test's stub model server), model calls go there; else models refuse.
  services: process.env.TRELLIS_LLM_BASE_URL
    ? { ...dbOnlyServices(db), models: createModelRouter({ db, env: process.env }) }
    : dbOnlyServices(db),
  // Encrypted like the harness's client (interpreter-harness.ts), with the keyring in the same folder.
  payloadCodec: productCodecs(env('TRELLIS_DATA_DIR'))(db).worker,
});
process.send?.('ready');
await worker.run();
await db.close();
