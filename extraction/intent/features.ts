// What the intent model sees of a message: its cue phrases by purpose, the subject's, what
// kind of mail it is (reply, forward, form, machine mail), phishing signs, how many dates,
// amounts and requests it has, and its words. Not its language: purpose does not depend on it.
// The shipped model is trained without the words (they fit the topics of the training mail, not
// purposes); fine-tuning from a person's corrections may use them (learn/fine-tune.ts).
import { deu, eng, fra, nld, spa } from 'stopword';
import type { Features } from '../learn/linear-model.ts';
import { cueMatches, type CueGroup } from './cues.ts';
import type { MachineKind } from './machine-mail.ts';
import { spamOffer } from './phishing.ts';

export interface IntentEvidence {
  subject: string;
  content: string;
  /** The first sentences of the new text: where people say what they write for. */
  opening: string;
  /** The sentences that ask the operator for something. */
  asks: string;
  language: string;
  machine?: MachineKind;
  phishingScore: number;
  phishingReasons: string[];
  reply: boolean;
  /** The reply names no message it answers (no In-Reply-To or References header). */
  threadless: boolean;
  forward: boolean;
  quoted: boolean;
  form: boolean;
  relay: boolean;
  freeMail: boolean;
  dates: number;
  amounts: number;
  requests: number;
  questions: number;
  /** Requests that name a day, and sentences that move a day ("move the call from Tuesday to Thursday"). */
  requestsWithDate: number;
  movedDays: number;
  /** The role of each day taken (a meeting time points to scheduling, a deadline to the work itself). */
  dateRoles: string[];
  /** Days taken with a time of day ("Thursday at 2pm"): how meetings are proposed. */
  timedDates: number;
}

const fold = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');

// Function words say nothing of one email's purpose and occur in nearly all of them: a correction
// that gave them weight would move every other email too (stopword's lists, five languages).
const stopWords = new Set([...eng, ...deu, ...fra, ...spa, ...nld].map(fold));

export function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length >= 3 && word.length <= 20 && !stopWords.has(word));
}

export const isWordFeature = (name: string) => name.startsWith('w:');

export function intentFeatures(e: IntentEvidence): { features: Features; cues: Record<CueGroup, string[]> } {
  const features: Features = {};
  const cues = cueMatches(`${e.subject}\n${e.content}`);
  const by = (prefix: string, text: string) => {
    for (const [group, found] of Object.entries(cueMatches(text)))
      if (found.length) features[`${prefix}:${group}`] = Math.log1p(found.length);
  };
  by('cue', `${e.subject}\n${e.content}`);
  by('subj', e.subject);
  by('open', e.opening);
  by('ask', e.asks);
  if (spamOffer.test(e.content)) features.offer = 1;
  if (!e.reply && !e.quoted && !e.forward) features['first-contact'] = 1;
  // A "Re:" that names no message it answers: every mail client sets In-Reply-To on a real
  // reply, so this is a cold pitch dressed as one (often quoting its own earlier pitch).
  if (e.reply && e.threadless) features['fake-reply'] = 1;
  if (e.machine) features[`machine:${e.machine}`] = 1;
  if (e.phishingScore > 0) features.phish = Math.min(e.phishingScore, 8) / 4;
  for (const flag of ['reply', 'forward', 'quoted', 'form', 'relay', 'freeMail'] as const)
    if (e[flag]) features[flag] = 1;
  features['n:dates'] = Math.log1p(e.dates);
  features['n:amounts'] = Math.log1p(e.amounts);
  features['n:requests'] = Math.log1p(e.requests);
  features['n:questions'] = Math.log1p(e.questions);
  if (e.requestsWithDate > 0) features['ask:date'] = Math.log1p(e.requestsWithDate);
  if (e.movedDays > 0) features['moved-day'] = 1;
  for (const role of new Set(e.dateRoles))
    features[`role:${role}`] = Math.log1p(e.dateRoles.filter((r) => r === role).length);
  if (e.timedDates > 0) features['n:timed'] = Math.log1p(e.timedDates);
  for (const word of new Set(wordsOf(`${e.subject} ${e.content}`))) features[`w:${word}`] = 1;
  return { features, cues };
}
