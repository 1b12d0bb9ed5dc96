import { describe, expect, it } from 'vitest';
import { extractMeeting, type MeetingExtraction } from '../../transcripts/extract.ts';
import { parseTranscript } from '../../transcripts/parse.ts';
import { formatCitation } from '../../transcripts/cite.ts';
import { transcriptFixture } from '../support/transcripts.ts';

// What the meeting extractor finds in the fixtures, and, as plainly, what it gets wrong: the
// `known misses` tests pin today's mistakes so a fix shows up as a changed expectation.

const brief = (result: MeetingExtraction) =>
  result.actions.map((a) => ({
    owner: a.owner,
    kind: a.kind,
    ...(a.who ? { who: a.who } : {}),
    text: a.text,
    ...(a.due ? { due: a.due.date } : {}),
    turn: a.evidence.turnId,
  }));

function extract(file: string, operator: string, meetingAt?: string) {
  const transcript = parseTranscript(transcriptFixture(file), { uri: file });
  return {
    transcript,
    result: extractMeeting(transcript, { operator, meetingAt: meetingAt ?? transcript.meetingAt! }),
  };
}

describe('meeting extraction', () => {
  it('kickoff (VTT): a request to the operator accepted in the next turn is one item; others’ promises are sender/other', () => {
    const { transcript, result } = extract('2026-11-24-kickoff.vtt', 'Dana Whitfield', '2026-11-24T14:00:00Z');
    expect(brief(result)).toEqual([
      {
        owner: 'me',
        kind: 'request',
        who: 'Dana Whitfield',
        text: 'Dana, could you send us the sitemap draft by Friday?',
        due: '2026-11-27',
        turn: 't5',
      },
      {
        owner: 'other',
        kind: 'commitment',
        text: 'Marco will book the photographer for December 3rd.',
        due: '2026-12-03',
        turn: 't7',
      },
      {
        owner: 'sender',
        kind: 'commitment',
        who: 'Marco Rossi',
        text: 'I will book the photographer for the 3rd of December.',
        due: '2026-12-03',
        turn: 't8',
      },
    ]);
    const [sitemap] = result.actions;
    expect(sitemap?.acceptedIn).toMatchObject({ turnId: 't6', speaker: 'Dana Whitfield', startMs: 31500 });
    // Evidence spans point at the words in the transcript text.
    expect(transcript.text.slice(sitemap!.evidence.span.start, sitemap!.evidence.span.end)).toBe(sitemap!.text);
    expect(transcript.text.slice(sitemap!.due!.span.start, sitemap!.due!.span.end)).toBe('Friday');
    expect(formatCitation(transcript.turns[4]!, { transcript, span: sitemap!.evidence.span })).toBe(
      'at 00:00:24, Priya Natarajan said "Dana, could you send us the sitemap draft by Friday?"',
    );
    expect(result.amounts).toEqual([
      expect.objectContaining({ value: '12500', currency: 'EUR', role: 'budget', text: '€12,500' }),
    ]);
    expect(result.amounts[0]?.evidence).toMatchObject({ turnId: 't2', speaker: 'Marco Rossi' });
  });

  it('Otter: a request whose addressee is unclear is the operator’s when the operator later promises the same thing', () => {
    const { result } = extract('otter-call.txt', 'Dana Whitfield');
    expect(brief(result)).toEqual([
      {
        owner: 'me',
        kind: 'request',
        who: 'Dana Whitfield',
        text: 'Could you also send over your W-9?',
        due: '2026-12-01',
        turn: 't2',
      },
      {
        owner: 'sender',
        kind: 'commitment',
        who: 'Speaker 2',
        text: 'We will pay the deposit of $1,500 next Tuesday.',
        due: '2026-12-08',
        turn: 't4',
      },
    ]);
    expect(result.actions[1]?.amounts).toEqual([expect.objectContaining({ value: '1500', currency: 'USD' })]);
  });

  it('the asked-for date is kept when the operator agreed to another one', () => {
    const { result } = extract('zoom-bracketed.txt', 'Dana Whitfield', '2026-12-01T10:00:00Z');
    const [files] = result.actions;
    expect(files).toMatchObject({
      owner: 'me',
      text: 'We need the final print files by December 12.',
      due: { date: '2026-12-10', text: '10th' },
      requestedDue: { date: '2026-12-12' },
    });
  });

  it('a question answered in the next turn by the operator is settled; meeting mechanics are no actions', () => {
    const { result } = extract('zoom-inline.txt', 'Dana Whitfield', '2026-12-01T10:00:00Z');
    expect(result.actions).toEqual([]);
    expect(result.amounts.map((a) => `${a.value} ${a.currency} ${a.role}`)).toEqual(['95 EUR rate', '760 EUR rate']);
  });

  it('Teams: a request confirmed by the operator keeps the operator’s date; the monthly retainer is a rate', () => {
    const { result } = extract('teams-docx.txt', 'Dana Whitfield');
    expect(brief(result)).toEqual([
      {
        owner: 'me',
        kind: 'request',
        who: 'Dana Whitfield',
        text: 'Can you confirm by end of week?',
        due: '2026-12-04',
        turn: 't2',
      },
    ]);
    expect(result.amounts).toEqual([expect.objectContaining({ value: '2000', currency: 'GBP', role: 'rate' })]);
  });

  it('German: the request with its deadline, the operator’s promise winning the due date, the budget', () => {
    const { result } = extract('pasted-de.txt', 'Dana', '2026-12-07T09:00:00Z');
    expect(result.language).toBe('de');
    expect(brief(result)).toEqual([
      {
        owner: 'me',
        kind: 'request',
        who: 'Dana',
        text: 'Wir brauchen das Angebot bis zum 18. Dezember.',
        due: '2026-12-11',
        turn: 't2',
      },
      { owner: 'me', kind: 'request', who: 'Dana', text: 'Könnten Sie uns auch die Referenzen schicken?', turn: 't2' },
    ]);
    expect(result.actions[0]?.requestedDue?.date).toBe('2026-12-18');
    expect(result.amounts).toEqual([expect.objectContaining({ value: '8000', currency: 'EUR', text: '8.000 €' })]);
  });

  it('French: the quote request due before Friday, agreed for Thursday', () => {
    const { result } = extract('meet-fr.txt', 'Dana Whitfield');
    const quote = result.actions.find((a) => a.text.startsWith('Pouvez-vous'));
    expect(quote).toMatchObject({
      owner: 'me',
      due: { date: '2026-12-03', text: 'jeudi' },
      acceptedIn: { turnId: 't4' },
    });
    expect(result.amounts).toEqual([expect.objectContaining({ value: '5000', currency: 'EUR' })]);
  });

  it('pasted: the operator’s own name as a parameter; a third party’s promise is other', () => {
    const { result } = extract('pasted-notes.txt', 'Dana', '2026-12-07T09:00:00Z');
    expect(brief(result)).toEqual([
      {
        owner: 'me',
        kind: 'request',
        who: 'Dana',
        text: 'Can you send the revised estimate by Thursday?',
        due: '2026-12-10',
        turn: 't2',
      },
      { owner: 'other', kind: 'commitment', text: 'Our accountant will check the VAT question.', turn: 't5' },
    ]);
  });

  it('a request the operator makes is asked of someone else (other), named when addressed', () => {
    const transcript = parseTranscript(
      'Dana: Marco, can you send me the photos by Monday?\nMarco: Sure.\nDana: Thanks.\n',
      {
        format: 'pasted',
      },
    );
    const result = extractMeeting(transcript, { operator: 'Dana', meetingAt: '2026-12-02T10:00:00Z' });
    expect(brief(result)).toEqual([
      {
        owner: 'other',
        kind: 'request',
        who: 'Marco',
        text: 'Marco, can you send me the photos by Monday?',
        due: '2026-12-07',
        turn: 't1',
      },
    ]);
  });

  describe('known misses (kept honest)', () => {
    it('a greeting in French reads as a request ("merci" looks like a thank-you for a request)', () => {
      const { result } = extract('meet-fr.txt', 'Dana Whitfield');
      expect(result.actions[0]).toMatchObject({ text: "Bonjour Dana, merci d'être là.", owner: 'me' });
    });

    it('"Invoice 2041 is still open" reads as an imperative ("Invoice …" as a verb)', () => {
      const { result } = extract('teams-standup.vtt', 'Dana Whitfield', '2026-12-01T09:00:00Z');
      expect(result.actions.map((a) => a.text)).toEqual([
        "Invoice 2041 is still open, it's 3,400 dollars.",
        'Can you chase them tomorrow?',
      ]);
    });

    it('a deadline for a third party ("Our legal team needs the signed contract by December 8") is not found', () => {
      const { result } = extract('otter-call.txt', 'Dana Whitfield');
      expect(result.actions.some((a) => a.text.includes('signed contract'))).toBe(false);
    });

    it('the go-live date in the interview is read as the asked-for due date of the quote', () => {
      const { result } = extract('interview.srt', 'Dana', '2026-11-23T10:00:00Z');
      expect(result.actions[0]).toMatchObject({
        text: "The quote we need is for twelve pages, and we'd like it live by January 15.",
        due: { date: '2026-11-25' },
        requestedDue: { date: '2027-01-15' },
      });
    });
  });
});
