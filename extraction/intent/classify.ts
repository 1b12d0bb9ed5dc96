// The purpose of a message: machine mail is told by its headers, phishing by its signs, and
// the rest by the trained intent model over the features in features.ts.
import { predict, type LinearModel } from '../learn/linear-model.ts';
import type { CueGroup } from './cues.ts';
import { intentFeatures, type IntentEvidence } from './features.ts';

export const intentLabels = ['lead', 'billing', 'change', 'feedback', 'scheduling', 'spam', 'other'] as const;
export type IntentLabel = (typeof intentLabels)[number];

/** Finer than the label: what kind of "other" or "spam" it is, or the purpose itself. */
export type IntentKind =
  | 'lead'
  | 'billing'
  | 'change-request'
  | 'feedback'
  | 'scheduling'
  | 'spam'
  | 'phishing'
  | 'decline'
  | 'auto-reply'
  | 'bounce'
  | 'newsletter'
  | 'notification'
  | 'other';

export interface IntentDecision {
  label: IntentLabel;
  kind: IntentKind;
  /** The model's probability of the label (before calibration). */
  probability: number;
  /** Second best, for the confidence model. */
  margin: number;
  reasons: string[];
  features: Record<string, number>;
}

/** A phishing score at which the message is treated as phishing whatever it is about. */
export const PHISHING_OVERRIDE = 3.5;

/** Without a trained model: each cue group votes for its intent (used only to bootstrap training). */
export function priorModel(): LinearModel {
  const classes = [...intentLabels];
  const row = (label: IntentLabel, weight = 1) => classes.map((c) => (c === label ? weight : 0));
  return {
    version: 'prior',
    classes,
    bias: classes.map((c) => (c === 'other' ? 0.3 : 0)),
    weights: {
      'cue:lead': row('lead'),
      'cue:billing': row('billing'),
      'cue:change': row('change'),
      'cue:feedback': row('feedback'),
      'cue:scheduling': row('scheduling'),
      'cue:spam': row('spam'),
      'cue:decline': row('other', 2),
      phish: row('spam', 2),
      'machine:newsletter': row('other', 2),
      'machine:notification': row('other', 1),
    },
    trainedOn: { examples: 0, l2: 0, epochs: 0, note: 'hand-set prior, replaced by training' },
  };
}

const describe: Partial<Record<CueGroup, string>> = {
  lead: 'asks about new work',
  billing: 'is about invoices or payment',
  change: 'asks for changes',
  feedback: 'gives feedback',
  scheduling: 'is about a meeting time',
  decline: 'declines or stops the work',
  spam: 'reads like bulk or unsolicited mail',
  notice: 'passes on information',
  ongoing: 'refers to work already under way',
  introduces: 'introduces the sender',
  thanks: 'thanks',
};

/**
 * Mail whose kind its headers decide (auto-replies, bounces, lists, platform notices that ask
 * nothing): the model never sees it, so it is not trained on it either.
 */
export function decidedByHeaders(evidence: Pick<IntentEvidence, 'machine' | 'phishingScore' | 'requests'>): boolean {
  if (evidence.machine === 'auto-reply' || evidence.machine === 'bounce') return true;
  return (
    evidence.phishingScore < 2 &&
    (evidence.machine === 'newsletter' || (evidence.machine === 'notification' && evidence.requests === 0))
  );
}

export function classifyIntent(evidence: IntentEvidence, model: LinearModel): IntentDecision {
  const { features, cues } = intentFeatures(evidence);
  const cueReasons = (Object.entries(cues) as [CueGroup, string[]][])
    .filter(([, found]) => found.length > 0)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 3)
    .map(([group, found]) => `${describe[group] ?? group} (${[...new Set(found)].slice(0, 3).join(', ')})`);

  // Lists and platform notices are never the operator's client work, whatever they are about.
  if ((evidence.machine === 'newsletter' || evidence.machine === 'notification') && decidedByHeaders(evidence)) {
    const reason =
      evidence.machine === 'newsletter'
        ? 'a mailing-list message (List-* or bulk headers)'
        : 'an automatic notification';
    return {
      label: 'other',
      kind: evidence.machine,
      probability: 0.95,
      margin: 0.9,
      reasons: [reason, ...cueReasons],
      features,
    };
  }
  if (evidence.machine === 'auto-reply' || evidence.machine === 'bounce') {
    const reason = evidence.machine === 'bounce' ? 'a delivery failure report' : 'an automatic reply';
    return {
      label: 'other',
      kind: evidence.machine,
      probability: 0.99,
      margin: 0.98,
      reasons: [`${reason} (headers or subject)`],
      features,
    };
  }
  const probabilities = predict(model, features);
  const order = probabilities.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
  const [best, second] = order;
  let label = model.classes[best![1]] as IntentLabel;
  let probability = best![0];
  const margin = best![0] - (second?.[0] ?? 0);
  const reasons = [...cueReasons];
  // One weak sign (haste, a Reply-To elsewhere) is common in honest mail: name them only when they add up.
  if (evidence.phishingScore >= 2) reasons.unshift(...evidence.phishingReasons.map((r) => `phishing sign: ${r}`));
  let kind: IntentKind = label === 'change' ? 'change-request' : label;
  if (label === 'spam') kind = evidence.phishingScore >= 3 ? 'phishing' : 'spam';
  if (label === 'other') {
    if (cues.decline.length > 0) kind = 'decline';
    else if (evidence.machine === 'newsletter' || evidence.machine === 'notification') kind = evidence.machine;
  }
  // Strong phishing signs overrule what the words are about: an "invoice" that asks to log in is not billing.
  if (evidence.phishingScore >= PHISHING_OVERRIDE && label !== 'spam') {
    reasons.unshift(`treated as phishing, not ${label}`);
    label = 'spam';
    kind = 'phishing';
    probability = Math.min(0.9, evidence.phishingScore / 8 + 0.3);
  }
  return { label, kind, probability, margin, reasons: reasons.slice(0, 5), features };
}
