import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isSealed } from '../../security/envelope.ts';
import { sealPlaintextSecrets } from '../../store/webhook-source-secrets.ts';
import { startIngestServer, type IngestServer } from '../support/ingest-server.ts';

// Issue 19, finding 2 (webhook sources): signing secrets sealed at rest, shown once, and the
// plaintext rows of an older database sealed by the server's startup step.

describe('webhook secrets at rest', () => {
  const services = inject('services');
  let server: IngestServer;
  let sequence = 0;
  const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${sequence++}`;

  beforeAll(async () => {
    server = await startIngestServer(services);
  });
  afterAll(async () => {
    await server?.close();
  });

  const storedSecrets = async (name: string) => {
    const { rows } = await server.h.db.query<{ secret: string; previous_secret: string | null }>(
      'select secret, previous_secret from webhook_sources where name = $1',
      [name],
    );
    return rows[0];
  };

  it('stores only a sealed secret, shows it once, and still verifies deliveries', async () => {
    const name = uniqueName('sealed');
    const created = await server.api('/api/webhook-sources', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);

    const stored = await storedSecrets(name);
    expect(isSealed(stored!.secret)).toBe(true);
    expect(stored!.secret).not.toContain(secret);
    expect(stored!.secret).not.toContain(secret.slice('whsec_'.length));

    const listed = await (await server.api('/api/webhook-sources')).text();
    expect(listed).toContain(name);
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain(stored!.secret);

    expect((await server.deliver(name, secret, '{"id":"sealed-1"}')).status).toBe(202);
  });

  it('refuses a plaintext secret written straight into the column', async () => {
    await expect(
      server.h.db.query(`insert into webhook_sources (name, secret) values ($1, 'whsec_plain')`, [uniqueName('plain')]),
    ).rejects.toThrow(/webhook_sources_secret_sealed/);
  });

  it('seals a secret an older database holds in plaintext, and its sender keeps working', async () => {
    const name = uniqueName('legacy');
    const plaintext = 'whsec_written-before-sealing';
    // A database just migrated to 0011: the row predates the constraint, which is not yet validated.
    // One transaction, so no other server sharing the test database sees the plaintext row.
    const sealed = await server.h.db.transaction(async (tx) => {
      await tx.query('alter table webhook_sources drop constraint webhook_sources_secret_sealed');
      await tx.query('insert into webhook_sources (name, secret) values ($1, $2)', [name, plaintext]);
      await tx.query(
        String.raw`alter table webhook_sources add constraint webhook_sources_secret_sealed
          check (secret ~ '^v1\.[^.]+\.[^.]+\.[^.]+\.[^.]+$') not valid`,
      );
      return sealPlaintextSecrets(tx, server.app.services.keyring);
    });
    expect(sealed).toBeGreaterThanOrEqual(1);

    const stored = await storedSecrets(name);
    expect(isSealed(stored!.secret)).toBe(true);
    expect(stored!.secret).not.toContain('written-before-sealing');
    const { rows } = await server.h.db.query<{ convalidated: boolean }>(
      `select convalidated from pg_constraint where conname = 'webhook_sources_secret_sealed'`,
    );
    expect(rows[0]?.convalidated).toBe(true);
    expect((await server.deliver(name, plaintext, '{"id":"legacy-1"}')).status).toBe(202);
  });
});
