// How sure the client name is, before calibration: what the confidence model reads beside the
// sources. Independent kinds of evidence that agree (the domain spells the signature's name, a
// form field and the Reply-To's domain) make it high; one weak source (a domain alone, a phrase
// in the text) or a rival candidate with support of its own make it low.
import type { Candidate, ClientEvidence, ClientSource } from './find-client.ts';
import { hasLegalSuffix } from './organisations.ts';

const strength: Record<ClientSource, number> = {
  'known-client': 0.9,
  form: 0.75,
  domain: 0.7,
  'reply-to': 0.6,
  'quoted-signature': 0.45,
  signature: 0.6,
  'display-name': 0.45,
  text: 0.4,
  'domain-only': 0.3,
};

const total = (evidence: ClientEvidence[]) =>
  [...new Set(evidence.map((e) => e.source))].reduce((sum, source) => sum + strength[source], 0);

/** `rivals`: the other candidates, best first. */
export function certaintyOf(
  chosen: { name: string; evidence: ClientEvidence[] },
  rivals: Candidate[],
  context: { knownBy?: 'address' | 'domain' | 'name'; strayReplyTo?: boolean } = {},
): number {
  if (context.knownBy === 'address' || context.knownBy === 'domain') return 0.99;
  // Independent sources combine as chances of being wrong multiply.
  const sources = [...new Set(chosen.evidence.map((e) => e.source))];
  let wrong = sources.reduce((p, source) => p * (1 - strength[source]), 1);
  if (hasLegalSuffix(chosen.name)) wrong *= 0.8;
  // A rival raises the chance of being wrong by how well it is supported, up to double.
  const rival = rivals[0];
  if (rival) wrong = Math.min(1, wrong * (1 + Math.min(1, total(rival.evidence) / total(chosen.evidence))));
  // A Reply-To elsewhere that backs nothing found here doubles it too.
  if (context.strayReplyTo) wrong = Math.min(1, wrong * 2);
  return Math.round((1 - wrong) * 1000) / 1000;
}
