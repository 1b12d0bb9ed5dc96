// Lines and paragraphs that are not the sender's message: sign-offs (a signature follows),
// legal disclaimers and footers, and the metadata lines of form notifications.

const signOffs = [
  'best',
  'best regards',
  'best wishes',
  'all the best',
  'kind regards',
  'kindest regards',
  'warm regards',
  'warmest regards',
  'regards',
  'many thanks',
  'thanks',
  'thanks again',
  'thanks so much',
  'thanks a lot',
  'thank you',
  'thank you so much',
  'cheers',
  'sincerely',
  'yours sincerely',
  'yours faithfully',
  'yours',
  'warmly',
  'talk soon',
  'speak soon',
  'take care',
  'with thanks',
  'with best wishes',
  'ta',
  'x',
  'xx',
  'mit freundlichen grüßen',
  'mit freundlichen grüssen',
  'freundliche grüße',
  'freundliche grüsse',
  'viele grüße',
  'viele grüsse',
  'beste grüße',
  'beste grüsse',
  'liebe grüße',
  'liebe grüsse',
  'herzliche grüße',
  'herzliche grüsse',
  'schöne grüße',
  'grüße',
  'grüsse',
  'gruß',
  'gruss',
  'lg',
  'vg',
  'mfg',
  'danke',
  'vielen dank',
  'cordialement',
  'bien cordialement',
  'très cordialement',
  'bien à vous',
  'bien à toi',
  'salutations',
  'meilleures salutations',
  'sincères salutations',
  'bonne journée',
  'belle journée',
  'à bientôt',
  'merci',
  'merci beaucoup',
  'bises',
  'amitiés',
  'saludos',
  'un saludo',
  'saludos cordiales',
  'un cordial saludo',
  'atentamente',
  'un abrazo',
  'abrazos',
  'gracias',
  'muchas gracias',
  'muchas gracias de antemano',
  'quedo atento',
  'quedo atenta',
  'met vriendelijke groet',
  'met vriendelijke groeten',
  'vriendelijke groet',
  'vriendelijke groeten',
  'hartelijke groet',
  'hartelijke groeten',
  'groet',
  'groeten',
  'groetjes',
  'mvg',
  'dank je wel',
  'dank u wel',
  'bedankt',
  'cordiali saluti',
  'distinti saluti',
  'saluti',
  'grazie',
];
const signOffSet = new Set(signOffs);

/** "Best," "Mit freundlichen Grüßen" "Sent from my iPhone": a signature starts here. */
export function signOffLine(line: string): boolean {
  const bare = line
    .trim()
    .toLowerCase()
    .replace(/[,.!…\s-]+$/u, '')
    .replace(/\s+/g, ' ');
  if (!bare || bare.length > 40) return false;
  if (signOffSet.has(bare)) return true;
  // "Thanks, Jo" / "Best, Maria" / "Cheers Tom" on one line.
  const [head] = bare.split(/[,]\s*|\s+(?=[a-zà-ÿ]+$)/u);
  if (head && signOffSet.has(head) && bare.split(' ').length <= 4 && /^[^?]*$/.test(bare)) return true;
  return /^(sent from my|envoyé de mon|von meinem|enviado desde mi|verzonden vanaf mijn|verstuurd vanaf mijn|get outlook for)\b/.test(
    bare,
  );
}

const disclaimerCues = [
  /\bconfidential\b.{0,200}\b(intended|recipient|addressee)/is,
  /\b(received|got) this (e-?mail|message|communication) in error\b/i,
  /\bif you are not the intended recipient\b/i,
  /\bunsubscribe\b|\bmanage (your )?(email )?(preferences|notifications)\b|\byou('| a)re receiving this\b/i,
  /\bvertraulich\b.{0,200}\b(empfänger|bestimmt|irrtümlich)/is,
  /\birrtümlich erhalten\b|\bnicht der richtige adressat\b|\babmelden\b.{0,40}\bnewsletter/i,
  /\bconfidentiel(le)?s?\b.{0,200}\b(destinataire|erreur)/is,
  /\bse désinscrire\b|\bdésabonner\b/i,
  /\bconfidencial\b.{0,200}\b(destinatario|error)/is,
  /\bdarse de baja\b|\bcancelar (la )?suscripción\b/i,
  /\bvertrouwelijk\b.{0,200}\b(geadresseerde|bestemd|onterecht)/is,
  /\bafmelden\b|\buitschrijven\b/i,
  /\bregistered (office|in england)\b|\bcompany (number|no\.?|registration)\b.{0,80}\bregistered\b/i,
  /\bsitz der gesellschaft\b|\bregistergericht\b|\bhandelsregister\b|\bgeschäftsführer(in)?:/i,
  /\bplease consider the environment before printing\b/i,
];

/** A paragraph of legal or mailing-list boilerplate: never the sender's request. */
export function disclaimerParagraph(paragraph: string): boolean {
  return disclaimerCues.some((cue) => cue.test(paragraph));
}

const metadataLabels =
  /^\s*(?:submitted(?: on| at)?|submission (?:date|time|id)|date submitted|sent(?: on| at)?|received(?: on| at)?|timestamp|page|page url|form|form name|source|ip|ip address|user agent|browser|referr?er|entry id|gesendet(?: am)?|eingegangen(?: am)?|übermittelt(?: am)?|seite|formular|envoyé(?: le)?|soumis(?: le)?|date d'envoi|formulaire|enviado(?: el)?|fecha de envío|formulario|página|verzonden(?: op)?|ingediend(?: op)?|datum verzonden|formulier|pagina)\s*:/i;

/** "Submitted: 15 Feb 2026, 11:58" and other lines a form relay adds about the submission. */
export function formMetadataLine(line: string): boolean {
  return metadataLabels.test(line);
}
