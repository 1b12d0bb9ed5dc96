// Intent by a transparent scoring model: each label has weighted cue phrases a person would
// name as evidence. A cue counts at most twice; cues in the subject weigh 1.5×. Confidence comes
// from the margin between the best and the second-best score, so a close call goes to a human.
import type { Intent } from '../../sdk/ports.ts';

type Cue = [pattern: RegExp, weight: number];

export const intentCues: Record<Intent, Cue[]> = {
  lead: [
    [/\b(request for proposal|rfp)\b/i, 3],
    [
      /\b(got|gave me|found) your (name|studio|work|website|portfolio)|\breferred (to you|by)|\brecommended you\b/i,
      2.5,
    ],
    [/\bwhat do you charge|\bhow much (would|do|does|will)\b|\byour (rates?|prices?|day rate)\b/i, 2.5],
    [/\b(we are|we're|i'm|i am) (looking for|seeking)\b/i, 2],
    [/\b(ballpark|quote|proposal|estimate for)\b/i, 1.5],
    [/\bbudget\b/i, 1.5],
    [/\bnew (website|site|e-shop|shop|logo|brand|project)\b|\bnext project\b|\bredesign\b/i, 1.5],
    [/\b(would you be (interested|open|available)|are you (interested|available for))\b/i, 1.5],
    [/\b(portfolio|references|freelance|collaboration|collaborate|designer-developer|front-end dev)\b/i, 1],
    [/\b(starting a|thinking about|we run|we are a)\b/i, 1],
  ],
  billing: [
    [/\b(invoices?|rechnung|factuur|facture|fattura|faktur\w*)\b/i, 2],
    [/\b(overdue|payment reminder|zahlungserinnerung|past due|outstanding balance)\b/i, 2.5],
    [/\b(payments?|paid|pay|wire|transfer|bank details|iban|ach)\b/i, 1.2],
    [/\b(purchase order|po number|po \d+|accounts payable|bookkeeper|accountant|accounting|controller)\b/i, 1.5],
    [/\b(vat|reverse charge|tax|w-8ben|w-9|ein|cost cent(re|er))\b/i, 1.5],
    [/\b(receipt|refund|deposit|charge|payment method|card)\b/i, 1.2],
  ],
  'change-request': [
    [/\b(amendments?|revisions?|revise|change requests?|wijzigingen|änderungen|ändern)\b/i, 2],
    [/\b(changes?|instead of|rather than|replace|swap|remove|bigger|smaller)\b/i, 1.5],
    [/\bshould (read|lead|say|be)\b|\bneeds? to use\b/i, 2],
    [/\b(we now want|we'd like to add|add (a|the|our)|move the (?!review|call|meeting))\b/i, 1.5],
    [/\b(scope|bring .{0,20} forward|timeline)\b/i, 1],
  ],
  feedback: [
    [/\b(feedback|thoughts on|notes|nitpick)\b/i, 1.5],
    [/\b(disappointed|enttäuscht|not happy|unhappy|frustrat\w*|not what we agreed)\b/i, 2.5],
    [
      /\b(looks? (great|good|beautiful|amazing|lovely)|so much better|gorgeous|unanimous|love (it|the)|really like)\b/i,
      2,
    ],
    [/\b(went live|is (now )?(online|live)|launched)\b/i, 1.5],
    [/\b(typos?|slow(ly)?|does nothing|doesn't work|broken|bug|cramped|empty|not sold on)\b/i, 1],
    [/\b(concepts?|draft|template|mock-?ups?)\b/i, 0.8],
  ],
  scheduling: [
    [/\b(reschedule|verschieben|move (the|our) (review|call|meeting)|termin)\b/i, 2.5],
    [/\b(meeting|call|kickoff|kick-off|check-in|workshop|catch-up)\b/i, 1.2],
    [/\b(calendar|invite|slots?|availability|available|free for|works for (you|me)|suit)\b/i, 1.5],
    [/\bhow about (mon|tue|wed|thu|fri)|\bwhich date\b|\b(does|would) .{0,20} work\b/i, 2],
    [/\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b\d{1,2}:\d{2}\b/i, 1],
  ],
  spam: [
    [/\b(guaranteed?|100%|limited time|act now|risk[- ]free|winner|congratulations you)\b/i, 2.5],
    [/\b(unsubscribe|do not wish to receive)\b/i, 2],
    [/\b(seo|backlinks?|dofollow|guest post|1st page|first page of google|ranking)\b/i, 2.5],
    [/\b(dear customer|website owner|dear sir|hi there)\b/i, 1.5],
    [/\b(click(ing)? (here|the link)|within 48 hours|failure to do so|verify your|customs fee|unpaid)\b/i, 2.5],
  ],
  other: [
    [/\b(out of (the )?office|automatic reply|auto-?reply|abwesenheit|on leave|limited access to email)\b/i, 4],
    [/\b(heads up|quick note|everyone|members|community|ticket|housewarming|beer|party)\b/i, 1],
  ],
};

/** With no evidence at all, "other" wins, with low confidence. */
const prior: Partial<Record<Intent, number>> = { other: 0.5 };

export interface IntentFeatures {
  subject: string;
  body: string;
  /** Money is mentioned: evidence for billing and leads. */
  hasAmounts: boolean;
  /** The display name claims a brand the sending domain does not carry (phishing). */
  brandMismatch: boolean;
  /** Sentences that ask for changes (list items with imperatives). */
  requestCount: number;
}

export interface IntentScore {
  label: Intent;
  confidence: number;
  scores: Record<Intent, number>;
}

function cueScore(cues: Cue[], text: string, factor: number): number {
  let score = 0;
  for (const [pattern, weight] of cues) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    score += Math.min(2, (text.match(global) ?? []).length) * weight * factor;
  }
  return score;
}

export function classifyIntent(features: IntentFeatures): IntentScore {
  const scores = {} as Record<Intent, number>;
  for (const label of Object.keys(intentCues) as Intent[]) {
    scores[label] =
      (prior[label] ?? 0) +
      cueScore(intentCues[label], features.body, 1) +
      cueScore(intentCues[label], features.subject, 1.5);
  }
  if (features.hasAmounts) {
    scores.billing += 0.5;
    scores.lead += 0.3;
  }
  if (features.brandMismatch) scores.spam += 3;
  if (features.requestCount >= 3) scores['change-request'] += 1;
  const ranked = (Object.entries(scores) as [Intent, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const margin = best![1] - (second?.[1] ?? 0);
  const confidence = Math.min(0.95, 0.3 + 0.65 * (1 - Math.exp(-margin / 3)));
  return { label: best![0], confidence: Math.round(confidence * 100) / 100, scores };
}

/** "DHL Express" <noreply@dhl-tracking-status.info>: a brand in the name, not in the domain's name. */
export function brandMismatch(displayName: string | undefined, address: string | undefined): boolean {
  if (!displayName || !address) return false;
  const domain = address.split('@')[1]?.toLowerCase() ?? '';
  const registered = domain.split('.').slice(-2, -1)[0] ?? '';
  const brand =
    displayName
      .toLowerCase()
      .split(/\s+/)[0]
      ?.replace(/[^a-z0-9]/g, '') ?? '';
  // Only short, brand-like names: a person's display name is not a brand claim.
  const looksLikeBrand =
    /\b(express|support|service|team|security|billing|bank|paypal|amazon|apple|microsoft|dhl|ups|fedex)\b/i.test(
      displayName,
    );
  return looksLikeBrand && brand.length >= 3 && domain.includes(brand) && registered !== brand;
}
