import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../transcripts/parse.ts';
import { expectWellFormed, transcriptFixture, turnsOf } from '../support/transcripts.ts';

describe('plain-text transcript exports', () => {
  it('Zoom, `[Speaker] HH:MM:SS` then the words', () => {
    const transcript = parseTranscript(transcriptFixture('zoom-bracketed.txt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('zoom');
    expect(turnsOf(transcript)).toEqual([
      'Dana Whitfield@3000: Hi Tom, thanks for making time.',
      'Tom Becker@7000: No problem. So, the brochure. We need the final print files by December 12.',
      "Dana Whitfield@15000: Understood. I'll have them ready by the 10th so there's a buffer.",
      'Tom Becker@22000: Perfect. And please send the invoice to accounts@becker-print.example, not to me.',
    ]);
  });

  it('Zoom, `HH:MM:SS Speaker: text` lines; a line without a name is nobody’s', () => {
    const transcript = parseTranscript(transcriptFixture('zoom-inline.txt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('zoom');
    expect(turnsOf(transcript)).toEqual([
      'Dana Whitfield@3000: Okay, recording is on.',
      'Tom Becker@6000: Great. Quick question about the rate. Is it still 95 euros per hour?',
      'Dana Whitfield@14000: Yes, 95 an hour, EUR 760 per day.',
      '?@19000: Sorry, who just joined?',
      "Ines Park@22000: That's me, Ines from finance.",
    ]);
  });

  it('Google Meet: title, date and attendees from the header, speaker lines, timestamps every few minutes', () => {
    const transcript = parseTranscript(transcriptFixture('meet-review.txt'));
    expectWellFormed(transcript);
    expect(transcript).toMatchObject({
      format: 'meet',
      title: 'Larkspur design review',
      meetingAt: '2026-11-26T14:00:00.000Z',
      participants: ['Marco Rossi', 'Dana Whitfield', 'Priya Natarajan', 'Jo Keane'],
    });
    expect(turnsOf(transcript)).toEqual([
      "Marco Rossi@0: Let's start with the homepage.",
      "Dana Whitfield@0: I reworked the hero section after last week's feedback. The new version uses the photography from the shoot.",
      'Priya Natarajan@872000: Dana, can you share the mobile layouts before Monday?',
      "Dana Whitfield@872000: Sure, I'll share them on Friday.",
    ]);
    expect(transcript.text).not.toContain('Meeting ended');
  });

  it('Google Meet in French, `Name: text` lines: the text is left as it is', () => {
    const transcript = parseTranscript(transcriptFixture('meet-fr.txt'));
    expectWellFormed(transcript);
    expect(transcript.meetingAt).toBe('2026-12-02T10:00:00.000Z');
    expect(transcript.participants).toEqual(['Élodie Marchand', 'Dana Whitfield']);
    expect(transcript.turns[2]?.text).toBe('Pouvez-vous nous envoyer le devis avant vendredi ?');
    expect(transcript.turns[4]?.text).toBe('Le budget est de 5 000 € HT.');
  });

  it('Teams transcript saved as text: `Speaker   0:03` then the words; start/stop lines are not speech', () => {
    const transcript = parseTranscript(transcriptFixture('teams-docx.txt'));
    expectWellFormed(transcript);
    expect(transcript).toMatchObject({ format: 'teams', title: 'Q1 planning', meetingAt: '2026-11-30T10:00:00.000Z' });
    expect(turnsOf(transcript)).toEqual([
      "Dana Whitfield@3000: Okay, we're recording. Agenda is the Q1 retainer.",
      "Alex Moreau@15000: Right. We'd like to keep the retainer at 2,000 pounds a month. Can you confirm by end of week?",
      "Dana Whitfield@62000: I'll confirm by Friday once I've checked capacity.",
    ]);
  });

  it('Otter: header date, SPEAKERS list, `Unknown Speaker` stays unnamed, the otter.ai footer is dropped', () => {
    const transcript = parseTranscript(transcriptFixture('otter-call.txt'));
    expectWellFormed(transcript);
    expect(transcript).toMatchObject({
      format: 'otter',
      title: 'Onboarding call with Kestrel Labs',
      meetingAt: '2026-12-01T09:30:00.000Z',
      participants: ['Dana Whitfield', 'Ruth Adeyemi', 'Speaker 2'],
    });
    expect(turnsOf(transcript)).toEqual([
      'Dana Whitfield@3000: Welcome Ruth. Shall we walk through the contract?',
      'Ruth Adeyemi@9000: Yes. Our legal team needs the signed contract by December 8. Could you also send over your W-9?',
      "?@31000: Sorry, I'm on mute.",
      'Speaker 2@40000: Hi, this is from procurement. We will pay the deposit of $1,500 next Tuesday.',
      "Dana Whitfield@65000: Great, I'll send the W-9 today.",
    ]);
    expect(transcript.text).not.toContain('otter.ai');
  });

  it('pasted: `Name: text` lines without times; a line without a name continues the speaker above', () => {
    const transcript = parseTranscript(transcriptFixture('pasted-notes.txt'));
    expectWellFormed(transcript);
    expect(transcript.format).toBe('pasted');
    expect(transcript.turns.every((turn) => turn.startMs === undefined)).toBe(true);
    expect(turnsOf(transcript)).toEqual([
      'Dana@-: Thanks for the call yesterday. Quick recap in writing.',
      'Chris@-: Sure. We agreed the shop goes live on 15 January. Can you send the revised estimate by Thursday?',
      "Dana@-: Yes, I'll send it by Thursday.",
      'Chris@-: Great. The extra product page is 450 EUR, right?',
      'Dana@-: Right, 450 EUR plus VAT. Our accountant will check the VAT question.',
    ]);
  });

  it('pasted in German: umlauts and ß in names and text untouched', () => {
    const transcript = parseTranscript(transcriptFixture('pasted-de.txt'));
    expectWellFormed(transcript);
    expect(transcript.participants).toEqual(['Dana', 'Jürgen Weiß']);
    expect(transcript.turns[1]?.text).toBe(
      'Gerne. Wir brauchen das Angebot bis zum 18. Dezember. Könnten Sie uns auch die Referenzen schicken?',
    );
  });

  it('names the line of a bad time in a text export', () => {
    expect(() => parseTranscript('[Dana] 00:00:03\nHi\n\n[Tom] 00:61:00\nHello\n', { format: 'zoom' })).toThrow(
      "line 4: timestamp '00:61:00' is not a time",
    );
    expect(() => parseTranscript('Dana  0:03\nHi\n\nTom  0:75\nHello\n', { format: 'otter' })).toThrow(
      "line 4: timestamp '0:75' is not a time",
    );
  });
});
