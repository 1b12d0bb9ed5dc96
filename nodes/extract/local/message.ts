// Splits an email body into what the sender wrote now, the sign-off and the signature.
// Quoted history is cut: extraction is about this message, not the thread it answers.

/** Lines that open a quoted earlier message, in the mail clients and languages we see most. */
const quoteHeaders = [
  /^On .{6,200}wrote:\s*$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Messaggio originale|Oorspronkelijk bericht|Forwarded message)/i,
  /^(Am|Le|Il|Op|El|W dniu) .{6,200}(schrieb|a écrit|ha scritto|schreef|escribió|pisze)\s?.{0,80}:\s*$/i,
  /^_{10,}\s*$/,
];

/** Header block of a quoted message pasted inline (Outlook style): "From: …" then "Sent: …". */
const pastedHeaderStart = /^(From|Von|De|Da|Van|Od):\s+\S/i;
const pastedHeaderNext = /^(Sent|Gesendet|Envoyé|Inviato|Verzonden|Date|Datum|Wysłano):\s+\S/i;

const mobileFooters = /^(Sent from my \w+|Von meinem \w+ gesendet|Envoyé de mon \w+|Get Outlook for \w+)/i;

/** Closing phrases after which come the sender's name and signature. */
const signOffs =
  /^(best( regards| wishes)?|kind regards|warm regards|regards|many thanks|thanks( so much| again)?|thank you|thx|cheers|all the best|sincerely|yours( sincerely| faithfully| truly)?|with kind regards|talk soon|speak soon|see you( around| soon)?|viele grüße|liebe grüße|beste grüße|mit freundlichen grüßen|lg|vg|mfg|groetjes|met vriendelijke groet|bien cordialement|cordialement|bien à vous|un abbraccio|saluti|cordiali saluti|pozdrawiam|danke|merci|grazie|xx|xo|best,)\b[\s,.!]*(.*)$/i;

export interface MessageParts {
  /** What the sender wrote in this message, without greeting line, sign-off, signature or quotes. */
  body: string;
  greeting?: string;
  /** Name written after a greeting word: "Hi Lena," gives "Lena". */
  greetingName?: string;
  signOff?: string;
  /** Lines after the sign-off or the "-- " separator: name, title, company, address. */
  signature: string[];
}

const greetingLine =
  /^(hi|hello|hey|dear|hallo|bonjour|ciao|hej|hoi|morgen|moin|good (morning|afternoon|evening)|guten (morgen|tag)|salut|buongiorno|cześć|dzień dobry)\b[\s,!]*(?<name>.*?)[\s,!:—-]*$/i;

/** "Lena," alone on the first line. */
const bareNameLine = /^(?<name>\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+)?),\s*$/u;

const genericAddressees =
  /^(all|everyone|there|team|folks|guys|customer|website owner|sir|madam|sir or madam|friend)$/i;

function cutQuotes(lines: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    const next = (lines[index + 1] ?? '').trim();
    if (quoteHeaders.some((pattern) => pattern.test(line))) break;
    // "On Wed, 5 Mar 2025 at 16:02, Lena Hoffmann <lena@…>" wrapped onto a second line ending in "wrote:".
    if (/^On .{6,}/i.test(line) && /wrote:\s*$/i.test(next)) break;
    if (pastedHeaderStart.test(line) && pastedHeaderNext.test(next)) break;
    if (line.startsWith('>')) continue;
    if (mobileFooters.test(line)) continue;
    kept.push(lines[index]!.replace(/\s+$/, ''));
  }
  return kept;
}

export function splitMessage(text: string): MessageParts {
  const lines = cutQuotes(text.replace(/\r\n?/g, '\n').split('\n'));
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();

  let greeting: string | undefined;
  let greetingName: string | undefined;
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first >= 0) {
    const match = greetingLine.exec(lines[first]!.trim()) ?? bareNameLine.exec(lines[first]!.trim());
    // Only a short line is a greeting; "Hi! got your name from Sam…" is the message itself.
    if (match && lines[first]!.trim().length <= 60 && !/[.?]\s+\S/.test(lines[first]!)) {
      greeting = lines[first]!.trim();
      const name = (match.groups?.name ?? '').replace(/[!,.:]+$/, '').trim();
      if (name && !genericAddressees.test(name) && /^\p{Lu}/u.test(name)) greetingName = name;
      lines.splice(first, 1);
    }
  }

  let cut = lines.length;
  let signOff: string | undefined;
  const separator = lines.findIndex((line) => /^--\s?$/.test(line));
  if (separator >= 0) cut = separator;
  // The last sign-off in the body's final third: "Thanks!" early in a message is not a sign-off.
  for (let index = cut - 1; index >= Math.floor(cut / 3); index--) {
    const line = lines[index]!.trim();
    const match = signOffs.exec(line);
    if (match && line.length <= 40) {
      signOff = line;
      const rest = (match[match.length - 1] ?? '').trim();
      const signature = lines
        .slice(index + 1)
        .filter((l) => !/^--\s?$/.test(l))
        .map((l) => l.trim());
      if (rest) signature.unshift(rest);
      return finish(lines.slice(0, index), greeting, greetingName, signOff, signature);
    }
  }
  // No sign-off: a trailing short block of name-like lines ("jake", "/Nils", "Ben") is the signature.
  const signature = separator >= 0 ? lines.slice(separator + 1).map((l) => l.trim()) : [];
  const body = lines.slice(0, cut);
  const lastBlank = body.map((l) => l.trim()).lastIndexOf('');
  const tail = body.slice(lastBlank + 1);
  if (lastBlank > 0 && tail.length <= 4 && tail.every((l) => l.trim().length <= 60 && !/[.?!]$/.test(l.trim()))) {
    return finish(body.slice(0, lastBlank), greeting, greetingName, signOff, [
      ...tail.map((l) => l.trim().replace(/^[/–—-]\s*/, '')),
      ...signature,
    ]);
  }
  return finish(body, greeting, greetingName, signOff, signature);
}

function finish(
  bodyLines: string[],
  greeting: string | undefined,
  greetingName: string | undefined,
  signOff: string | undefined,
  signature: string[],
): MessageParts {
  return {
    body: bodyLines.join('\n').trim(),
    ...(greeting ? { greeting } : {}),
    ...(greetingName ? { greetingName } : {}),
    ...(signOff ? { signOff } : {}),
    signature: signature.filter((line) => line !== ''),
  };
}
