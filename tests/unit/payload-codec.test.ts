import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadKeyring } from '../../security/keyring.ts';
import { connectDb } from '../../store/db.ts';
import { ClientKeys } from '../../temporal/codec/client-keys.ts';
import {
  ClientKeyCodec,
  clientIdIn,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptError,
} from '../../temporal/codec/payload-codec.ts';

const meta = (payload: Payload, key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString('utf8');

describe('client-key payload codec', () => {
  const db = connectDb(inject('services').postgres);
  const keyring = loadKeyring(mkdtempSync(path.join(os.tmpdir(), 'trellis-codec-')), {});
  const codecFor = (onErased: 'marker' | 'throw') =>
    new ClientKeyCodec({ keyring, clientKeys: new ClientKeys(db, keyring), onErased });
  const codec = codecFor('throw');
  const clientA = `cli_codec_a_${randomUUID()}`;
  const clientB = `cli_codec_b_${randomUUID()}`;
  const email = { trigger: { event: { clientId: clientA, text: 'Dear Ana Pereira, ana@example.pt' } } };

  afterAll(async () => {
    await db.query('delete from client_keys where client_id = any($1)', [[clientA, clientB]]);
    await db.close();
  });

  it('round-trips a payload and leaves no plaintext in what it stores', async () => {
    const plain = defaultPayloadConverter.toPayload(email);
    const [sealed] = await codec.encode([plain]);
    expect(meta(sealed!, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('ana@example.pt');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(email);
  });

  it('passes through payloads that were never encrypted (recorded histories)', async () => {
    const plain = defaultPayloadConverter.toPayload({ hello: 'world' });
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
  });

  it("chooses the key from the payload: a client's own key when it names one, else the installation key", async () => {
    const [forA, forB, general] = await codec.encode([
      defaultPayloadConverter.toPayload(email),
      defaultPayloadConverter.toPayload([{ nested: { deeper: [{ clientId: clientB }] } }]),
      defaultPayloadConverter.toPayload({ plan: 'no client here' }),
    ]);
    expect(meta(forA!, KEY_ID_METADATA)).toBe(`client/${clientA}`);
    expect(meta(forB!, KEY_ID_METADATA)).toBe(`client/${clientB}`);
    expect(meta(general!, KEY_ID_METADATA)).toBe(`installation/${keyring.current}`);
    const { rows } = await db.query<{ client_id: string; sealed_key: string }>(
      'select client_id, sealed_key from client_keys where client_id = any($1) order by client_id',
      [[clientA, clientB]],
    );
    // Stored sealed with the keyring, never as the raw key.
    expect(rows.map((row) => row.client_id)).toEqual([clientA, clientB]);
    expect(rows.every((row) => row.sealed_key.startsWith('v1.'))).toBe(true);
    expect(clientIdIn(defaultPayloadConverter.toPayload('clientId'))).toBeUndefined();
  });

  it('refuses a payload whose ciphertext or key id was altered', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(email)]);
    const data = Buffer.from(sealed!.data!);
    data[data.length - 1]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(PayloadDecryptError);
    const moved = {
      ...sealed!,
      metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from(`client/${clientB}`) },
    };
    await expect(codec.decode([moved])).rejects.toThrow(/does not open/);
  });

  it("reads a destroyed client key's payloads as the erased marker for the ledger, and refuses them in the worker", async () => {
    const [forB, general] = await codec.encode([
      defaultPayloadConverter.toPayload({ clientId: clientB, body: 'Bruno' }),
      defaultPayloadConverter.toPayload({ body: 'shared' }),
    ]);
    await db.query(
      `update client_keys set sealed_key = null, erased_at = '2026-12-07T10:00:00Z', erased_by = 'admin:test',
         erase_reason = 'asked to be forgotten' where client_id = $1`,
      [clientB],
    );
    const reader = codecFor('marker');
    const [marker, still] = await reader.decode([forB!, general!]);
    expect(defaultPayloadConverter.fromPayload(marker!)).toEqual({
      erased: true,
      clientId: clientB,
      erasedAt: '2026-12-07T10:00:00.000Z',
      erasedBy: 'admin:test',
      reason: 'asked to be forgotten',
    });
    expect(defaultPayloadConverter.fromPayload(still!)).toEqual({ body: 'shared' });
    await expect(codecFor('throw').decode([forB!])).rejects.toThrow(/erased/);
    // A forgotten client's key is not recreated: new data falls back to the installation key.
    const [later] = await reader.encode([defaultPayloadConverter.toPayload({ clientId: clientB })]);
    expect(meta(later!, KEY_ID_METADATA)).toBe(`installation/${keyring.current}`);
  });
});
