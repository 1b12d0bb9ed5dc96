// Lines that introduce quoted history, in the forms mail clients write them, for the languages
// the reply parser misses or where it needs the whole header (Outlook's From/Sent block).

const attribution = [
  // Gmail, Apple Mail, Thunderbird: "On <date>, <name> wrote:" and its translations (may wrap).
  /^[ \t]*(?:On|Am|Le|El|Op|Il|Em|Dnia|W dniu)\b[^\n]{0,200}(?:\n[^\n]{0,200})?\b(?:wrote|schrieb|a écrit|escribió|schreef|(?:het volgende )?geschreven|ha scritto|escreveu|napisał\(a\)|pisze)\s*:?[ \t]*$/im,
  // "<name> <addr> schrieb am <date>:" and similar without a leading date.
  /^[^\n]{1,200}<[^>\n]+@[^>\n]+>\s*(?:wrote|schrieb|a écrit|escribió|schreef)[^\n]{0,80}:[ \t]*$/im,
  /^[ \t]*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Oorspronkelijk bericht|Messaggio originale|Mensagem original)\s*-{2,}[ \t]*$/im,
  /^[ \t]*_{10,}[ \t]*$\n[ \t]*(?:From|Von|De|Van|Da)\s*:/im,
];

// Outlook's header block: From/Sent/To/Subject, in the operator's or the sender's language.
const outlookBlock =
  /^[ \t]*\*?(?:From|Von|De|Van|Da|Od)\s*:\*?[^\n]+\n(?:[^\n]*\n){0,2}?[ \t]*\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Date|Enviado(?: el)?|Fecha|Verzonden|Verstuurd|Inviato|Wysłano)\s*:/im;

/** Index in `text` where quoted history starts, if a quote header is found. */
export function quoteHeaderAt(text: string): number | undefined {
  let first: number | undefined;
  for (const pattern of [...attribution, outlookBlock]) {
    const match = pattern.exec(text);
    if (match && (first === undefined || match.index < first)) first = match.index;
  }
  // A header on the very first line is the whole message being quoted: not a reply's history.
  return first !== undefined && first > 0 ? first : undefined;
}
