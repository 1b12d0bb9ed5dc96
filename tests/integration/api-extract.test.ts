// POST /api/extract through the running server, and the sender's UTC offset through the real
// ingest path: mail written for these tests (forwarded, German, phishing, late at night far east).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { extractEmail } from '../../extraction/extract.ts';
import { emailInputOfEvent } from '../../extraction/message/email-input.ts';
import { loadModels } from '../../extraction/models/load.ts';
import type { ExtractionResult } from '../../schemas/extraction-result.ts';
import { createClient } from '../../store/clients.ts';
import { getEvent } from '../../store/events.ts';
import { startApiApp, type ApiApp } from '../support/api-app.ts';
import type { Harness } from '../support/interpreter-harness.ts';

const suffix = Date.now().toString(36);
const mail = (headers: Record<string, string>, body: string) =>
  [
    ...Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(
      ([k, v]) => `${k}: ${v}`,
    ),
    '',
    body,
    '',
  ].join('\r\n');

const forwarded = mail(
  {
    From: 'Ines Albrecht <ines@kaffeekontor-albrecht.de>',
    To: 'Jonas Weber <jonas@weber-design.example>',
    Subject: 'Fwd: Druckfreigabe Speisekarten',
    Date: 'Tue, 10 Nov 2026 09:12:00 +0100',
    'Message-ID': `<fwd-${suffix}@kaffeekontor-albrecht.de>`,
  },
  `Hi Jonas,

see below from the printer. Could you send them the final PDFs?

Ines

---------- Forwarded message ---------
From: Druckerei Sommer <auftrag@druckerei-sommer.example>
Date: Mon, 9 Nov 2026 at 16:40
Subject: Druckfreigabe Speisekarten
To: Ines Albrecht <ines@kaffeekontor-albrecht.de>

Dear Ms Albrecht,

we need the print-ready files by Friday 13 November. The quote for 500 menus stands at EUR 840.00 plus VAT.

Regards,
Druckerei Sommer`,
);

const german = mail(
  {
    From: 'Markus Lehner <m.lehner@lehner-bau.example>',
    To: 'Anna Roth <anna@roth-grafik.example>',
    Subject: 'Änderungen Broschüre',
    Date: 'Wed, 18 Nov 2026 14:05:00 +0100',
    'Message-ID': `<de-${suffix}@lehner-bau.example>`,
  },
  `Hallo Frau Roth,

bitte ersetzen Sie auf Seite 3 das Foto der Baustelle und ändern Sie die Telefonnummer im Impressum.
Die Druckerei braucht die Daten bis zum 18. Dezember statt am 11. Dezember.

Mit freundlichen Grüßen
Markus Lehner
Lehner Bau GmbH`,
);

const phishing = [
  'MIME-Version: 1.0',
  'From: Microsoft 365 <no-reply@m365-secure-login.example>',
  'To: anna@roth-grafik.example',
  'Subject: Invoice INV-88213 shared with you',
  'Date: Thu, 19 Nov 2026 03:14:00 +0000',
  `Message-ID: <ph-${suffix}@m365-secure-login.example>`,
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Dear customer,</p><p>An invoice of €4,980.00 was shared with you. Your mailbox will be suspended within 24 hours unless you verify your account.</p>',
  '<p><a href="http://m365-secure-login.example/verify">https://portal.office.com/invoices</a></p>',
  '',
].join('\r\n');

describe('POST /api/extract', () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let base: string;
  let token: string;

  const post = (body: string, contentType: string, query = '') =>
    fetch(`${base}/api/extract${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'api-extract test', listen: true });
    ({ h, base, token } = server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('reads a forwarded message: its body is content, its header and the forwarder are not', async () => {
    const response = await post(forwarded, 'message/rfc822');
    expect(response.status).toBe(200);
    const result = (await response.json()) as ExtractionResult;
    expect(result.dates.map((d) => d.date)).toEqual(['2026-11-13']);
    expect(result.amounts.map((a) => [a.value, a.currency])).toEqual([['840', 'EUR']]);
    expect(result.client?.name).toMatch(/Kaffeekontor Albrecht/i);
    expect(result.actions.map((a) => a.text).join(' ')).toMatch(/send them the final PDFs/);
    expect(result.message.segments.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['new', 'forward-header', 'forwarded']),
    );
    // Every value points to the words it was read from.
    for (const item of [...result.dates, ...result.amounts, ...result.actions])
      expect(result.message.text.slice(item.span.start, item.span.end)).toBe(item.text);
  });

  it('reads German: a change request with the superseded day left out', async () => {
    const response = await post(JSON.stringify({ message: german }), 'application/json');
    expect(response.status).toBe(200);
    const result = (await response.json()) as ExtractionResult;
    expect(result.language).toBe('de');
    expect(result.intent.label).toBe('change');
    expect(result.dates.map((d) => d.date)).toEqual(['2026-12-18']);
    expect(result.ignoredDates?.map((d) => [d.date, d.reason])).toContainEqual(['2026-12-11', 'superseded']);
    expect(result.client?.name).toBe('Lehner Bau GmbH');
    expect(result.actions.length).toBeGreaterThanOrEqual(1);
  });

  it('calls phishing spam whatever it says about invoices: no client, no actions, no dates', async () => {
    const response = await post(phishing, 'message/rfc822');
    const result = (await response.json()) as ExtractionResult;
    expect(result.intent).toMatchObject({ label: 'spam', kind: 'phishing' });
    expect(result.intent.reasons.join(' ')).toMatch(/leads to m365-secure-login\.example/);
    expect(result.client).toBeNull();
    expect(result.actions).toEqual([]);
    expect(result.dates).toEqual([]);
  });

  it('names a client the source of truth already has', async () => {
    const client = await createClient(h.db, { name: `Lehner Bau ${suffix}`, domains: ['lehner-bau.example'] });
    const result = (await (await post(german, 'message/rfc822')).json()) as ExtractionResult;
    expect(result.client).toMatchObject({ name: client.name, clientId: client.id });
    expect(result.client!.confidence).toBeGreaterThanOrEqual(0.99);
  });

  it('answers 400 naming the field for what is not an email, and is in the OpenAPI document', async () => {
    const notMail = await post('hello there', 'text/plain');
    expect(notMail.status).toBe(400);
    expect(((await notMail.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/message');
    const noMessage = await post(JSON.stringify({ text: 'x' }), 'application/json');
    expect(noMessage.status).toBe(400);
    expect(((await noMessage.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('/message');
    const badNow = await post(forwarded, 'message/rfc822', '?now=yesterday');
    expect(badNow.status).toBe(400);
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(spec.paths['/api/extract/']).toBeDefined();
  });
});

describe("the sender's own day, through the real ingest path", () => {
  const services = inject('services');
  let server: ApiApp | undefined;
  let h: Harness;
  let base = '';
  let token = '';

  beforeAll(async () => {
    server = await startApiApp(services, { label: 'offset test', listen: true });
    ({ h, base, token } = server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('resolves "tomorrow" in a mail written at 09:30 +13:00 in the sender\'s day, not UTC\'s', async () => {
    const source = `inbox-${suffix}`;
    const created = await fetch(`${base}/api/webhook-sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: source, kind: 'email' }),
    });
    expect(created.status).toBe(201);
    const raw = mail(
      {
        From: 'Aroha Ngata <aroha@kowhai-cafe.example>',
        To: 'sam@studio.example',
        Subject: 'Quick call?',
        Date: 'Wed, 2 Dec 2026 09:30:00 +1300',
        'Message-ID': `<late-${suffix}@kowhai-cafe.example>`,
      },
      'Kia ora Sam,\n\nCould we have a quick call tomorrow at 10 about the menu boards?\n\nAroha\nKowhai Cafe',
    );
    const response = await fetch(`${base}/api/ingest/${source}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(response.status).toBe(202);
    const { eventId } = (await response.json()) as { eventId: string };
    const event = (await getEvent(h.db, eventId))!;
    expect(event.occurredAt).toBe('2026-12-02T09:30:00+13:00');
    const result = extractEmail(emailInputOfEvent(event), { models: loadModels() });
    // In UTC the mail was written on the 1st at 20:30, whose "tomorrow" is the 2nd; the sender's
    // tomorrow is the 3rd.
    expect(result.dates).toMatchObject([{ date: '2026-12-03', time: '10:00', role: 'meeting' }]);
    expect(result.message.sentAt).toBe('2026-12-02T09:30:00+13:00');
  });
});
