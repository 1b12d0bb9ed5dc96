// Phrases that make a sentence a request, a promise, a condition or boilerplate, in English,
// German, French, Spanish and Dutch. Kept as "|"-separated strings so each list stays one line.

const words = (list: string) => new RegExp(`(?<![\\p{L}])(?:${list})(?![\\p{L}])`, 'iu');

export const request = words(
  [
    "could you|can you|would you|will you|could u|can u|are you able|would you be able|would it be possible|is it possible|do you have|do you think|have you got|please|pls|kindly|let me know|let us know|get back to me|get back to us|send me|send us|send over|we need you|i need you|i'd like you|we would like you|need you to|make sure|remember to|i'd appreciate|we would appreciate|grateful if|would be grateful|i'd be grateful|we'd be grateful|we would ask you|we ask that you|i would ask you|you need to|you will need to|you'll need to|would you mind|do you mind|when you get a chance|when you have a moment|i'd like to know|we'd like to know|i would like to know|we would like to know|i'd like to understand|we'd like to understand|i'd like you to|we'd like you to|let's|are requested to|are asked to|is requested to|you are requested|you are asked",
    'lass uns|wir wären ihnen dankbar|ich wäre ihnen dankbar|wir wären dankbar|ich wäre dankbar|ich wäre dir dankbar|lassen sie uns|werden gebeten|wird gebeten|können sie|könnten sie|würden sie|kannst du|könntest du|würdest du|bitte|geben sie|gib mir|teilen sie|lassen sie|senden sie|schicken sie|wäre es möglich|ist es möglich|ich bitte sie|wir bitten sie|wir bitten um|ich bitte um|sie müssten|du müsstest|wären sie so freundlich',
    'sont priés de|je vous serais reconnaissant|je vous serais reconnaissante|nous vous serions reconnaissants|merci de bien vouloir|êtes prié|êtes priée|pourriez-vous|pouvez-vous|pourrais-tu|peux-tu|merci de|merci d[\\x27\\u2019]\\p{L}+|veuillez|auriez-vous|est-ce que vous|est-ce possible|serait-il possible|je vous prie|nous vous prions|envoyez|confirmez|tenez-moi|dites-moi|il faudrait que vous|je vous demande|vous serait-il possible',
    'se ruega|se les ruega|le agradeceremos|te agradeceremos|les agradeceremos|agradeceríamos|agradeceremos|podrías|podrían|le agradecería|te agradecería|les agradecería|por favor|envíame|envíenos|mándame|confírmame|confirme|necesito que|necesitamos que|sería posible|es posible|avísame|dime|le ruego|te ruego|le pedimos|les rogamos|rogamos|te pido|le pido|favor de|me confirma|me confirmas|nos confirma|nos confirmas|me puede|nos puede|me podría|nos podría|me pasa|me pasás|nos pasa|nos pasás|me manda|nos manda|cuando puedas|cuando pueda',
    'laten we|zouden het op prijs stellen|zou het op prijs stellen|zou het fijn vinden als|zouden het fijn vinden als|wordt verzocht|worden verzocht|kunt u|kun je|zou u|zou je|wil je|wilt u|graag|alstublieft|alsjeblieft|laat me weten|laat ons weten|stuurt u|bevestig|is het mogelijk|zou het mogelijk|wij verzoeken u|we verzoeken u|verzoeken wij u|ik verzoek u|vraag ik u|wij vragen u|we vragen je|gelieve|gelieven',
  ].join('|'),
);

/** "We need the files by Friday": a need with a deadline is a request; "we need a website" is not. */
export const needWithDeadline =
  /(?<![\p{L}])(?:we need|i need|we'?d need|i'?d need|wir brauchen|wir benötigen|wir bräuchten|ich brauche|brauchen wir|benötigen wir|bräuchten wir|brauche ich|bräuchte ich|benötige ich|nous avons besoin|il nous faut|j'ai besoin|necesitamos|necesitaríamos|necesito|we hebben\s+\S+(?:\s+\S+)?\s+nodig|ik heb\s+\S+\s+nodig)(?![\p{L}])[^.?!]{0,80}(?<![\p{L}])(?:by|before|until|within|no later than|bis|vor|innerhalb|binnen|avant|d'ici|sous|dans les|antes|para el|dentro de|en los próximos|voor|uiterlijk|tomorrow|morgen|demain|mañana)(?![\p{L}])/iu;

/** "Before I can pay, I need two things from you:": what the sender needs of the operator. */
export const needFromYou =
  /(?<![\p{L}])(?:need|needs|brauche|brauchen|benötige|benötigen|bräuchte|bräuchten|besoin|necesito|necesitamos|necesitaría|nodig)(?![\p{L}])[^.?!]{0,40}(?<![\p{L}])(?:from you|von ihnen|von dir|de votre part|de ta part|de vous|de toi|de usted|de ti|van je|van u|van jou)(?![\p{L}])/iu;

export const imperativeStart =
  /^(?:[-*•·]\s*|\d+[.)]\s*)?(?:please\s+)?(?:schick|sende|gib|sag|ruf|melde|nimm|mach|send|confirm|call|check|update|add|remove|delete|change|replace|swap|move|fix|invoice|review|sign|book|schedule|reschedule|share|forward|quote|price|prepare|make|use|put|drop|switch|amend|correct|reissue|resend|include|attach|set up|arrange|tell|give|provide|ring|reply|respond|shorten|tweak|increase|reduce|bump|hold|pencil|shift|ensure|bitte|schicken|senden|ändern|ersetzen|prüfen|bestätigen|ergänzen|entfernen|envoyez|modifiez|remplacez|ajoutez|supprimez|corrigez|confirmez|envía|envíe|cambia|cambie|añade|añada|elimina|corrige|confirma|verander|vervang|voeg|verwijder|bevestig|controleer)(?![\p{L}])/iu;

export const commitment = words(
  [
    "i'll|i will|we'll|we will|i'm going to|we are going to|we're going to|i'm sending|i'm attaching|i am sending|i've attached|i have attached|i shall|we shall|i plan to|we plan to|i'll be|i can send",
    'ich werde|wir werden|ich schicke|ich sende|wir schicken|ich melde mich|wir melden uns|ich gebe|wir geben|ich lasse|ich kümmere|ich überweise|wir überweisen|schicke ich|sende ich|schicken wir|senden wir|melde ich mich|melden wir uns|gebe ich|überweise ich|überweisen wir|kümmere ich mich',
    "je vais|nous allons|je vous envoie|je vous enverrai|nous vous enverrons|je reviens|nous revenons|je vous transmets|je m'occupe|nous réglerons|je réglerai|je vous l'envoie|je vous les envoie|on vous envoie|nous vous transmettrons",
    'voy a|vamos a|te mando|le mando|te envío|le envío|te enviaré|le enviaré|os mando|les enviaremos|me encargo|te confirmo|le confirmo|pagaremos|transferiremos|te lo mando|se lo envío|te los mando',
    'ik stuur|wij sturen|we sturen|ik ga|we gaan|ik zal|wij zullen|we zullen|ik laat|ik kom|ik maak|ik betaal|wij betalen|we betalen|stuur ik|sturen wij|sturen we|maak ik|laat ik|kom ik',
  ].join('|'),
);

/** "Our printer will deliver on Monday", "Anna will send the files": someone else's promise. */
export function thirdParty(text: string): boolean {
  return (
    /^(?:[-*•]\s*)?(?:our|my|the)\s+(?:accountant|team|printer|developer|designer|colleague|boss|manager|ceo|director|assistant|office|finance|accounts|lawyer|photographer|agency|supplier)\b[^?]*\b(?:will|'ll|is going to)\b/iu.test(
      text,
    ) ||
    (/^\p{Lu}\p{Ll}+\s+(?:will|'ll|is going to|wird|va|va a|gaat)\b/u.test(text) &&
      !/^(?:it|this|that|there|het|dat|dit|er|es|das|dies|ce|ça|cela|eso|esto)\s/iu.test(text))
  );
}

export const boilerplate = words(
  [
    "please be advised|please note|please find attached|please find enclosed|please see attached|attached please find|please don't hesitate|please do not hesitate|do not hesitate|don't hesitate|feel free to|if you have any questions|if you need anything|any questions|please disregard|disregard this|please ignore|if you received this|in error|unsubscribe|please consider the environment|hope you are well|hope you're well|hope this finds you|hope all is well|thanks in advance|thank you in advance|looking forward|look forward|have a great|have a nice|have a good|let me know if you have any|let me know if you need|let me know if there|let me know if anything|reply to this email|let's talk soon|let's catch up|let's keep in touch|let's stay in touch|let's speak soon|let's chat soon",
    'bei fragen|für rückfragen|stehe ich gerne|stehen wir gerne|zur verfügung|im anhang finden sie|anbei finden sie|anbei|ich freue mich|wir freuen uns|vielen dank im voraus|schönen tag|schönes wochenende',
    "n'hésitez pas|je reste à votre disposition|nous restons à votre disposition|vous trouverez ci-joint|ci-joint|dans l'attente|au plaisir|bonne journée|bonne fin de journée|merci d'avance|merci par avance",
    'no dude en|no dudes en|quedo a su disposición|quedo a tu disposición|quedo atento|quedo atenta|adjunto le envío|adjunto|un saludo|gracias de antemano|quedamos a la espera',
    'mocht u vragen|heeft u vragen|heb je vragen|bij vragen|in de bijlage|bijgevoegd|alvast bedankt|fijne dag|ik hoor het graag|hoor graag',
  ].join('|'),
);

/** A request that holds only if something is the case ("If it hasn't, let me know"). */
export const conditional = /^(?:if|in case|should|falls|wenn|sollte|si|en cas|en caso|als|indien|mocht)(?![\p{L}])/iu;

/** "If you could please confirm Thursday…": a polite request worded as a condition. */
export const politeCondition =
  /^(?:if you (?:could|can|would|'d|might)|wenn sie (?:\S+\s+){0,4}(?:könnten|würden)|si vous pouviez|si tu pouvais|si (?:pudieras|pudiera|pueden|puedes)|als je (?:\S+\s+){0,4}(?:zou|kunt|kan)|als u (?:\S+\s+){0,4}(?:zou|kunt|wilt))(?![\p{L}])/iu;

export const secondPerson = words('you|your|u|sie|ihnen|du|dir|dich|vous|votre|vos|tu|usted|ustedes|jij|je|jouw|uw|te');

export const questionWord = words(
  'can|could|would|shall|should|is|are|do|does|did|has|have|was|were|when|what|which|how|where|wie|wann|was|welche[nrs]?|wäre|würde|könnte|könnten|können|ist|sind|hast|hättest|habt|haben|gibt es|quand|quel|quelle|comment|est-ce|avez-vous|serait|pouvons-nous|pourrions-nous|cuándo|qué|cuál|cómo|puede|puedes|podría|podemos|podríamos|tienes|tiene|hay|wanneer|wat|welke|hoe|is er|heb je|heeft u|zou|kan|kunnen we|zouden we|may|might|will|who|why|whom|whose|wer|wo|warum|wieso|wieviel|wie viel|combien|où|qui|pourquoi|cuánto|cuánta|cuántos|cuántas|dónde|quién|quiénes|por qué|hoeveel|waar|waarom|dürfen|darf|sollen|sollten|wollen|peut-on|pouvons|doit-on|faut-il|puis-je|pourrait-on|debemos|se puede|puedo|zullen|mogen|mag|moeten|kunnen|willen',
);

/** The line before a list of things to do: "the following changes:", "Quelques modifications :". */
export const listIntroduction = words(
  [
    'following|changes|amendments|edits|tweaks|corrections|requests|points|please|could you|can you|need|we would like|list|items|notes|feedback',
    'folgende|änderungen|korrekturen|punkte|bitte|anpassungen|wünsche',
    'suivantes|modifications|corrections|points|merci de|pourriez-vous|retours',
    'siguientes|cambios|correcciones|puntos|le pedimos|por favor|ajustes',
    'volgende|wijzigingen|aanpassingen|correcties|punten|graag|verzoeken',
  ].join('|'),
);

/**
 * An introduction that names changes ("a few changes before the demo:", "Folgende Punkte müssten
 * geändert werden:", "tenemos que cambiar unas cosas:"): each item of its list is one change to
 * make, whether it is worded as an order or as the state wanted ("The salmorejo goes up to €6.50").
 */
export const changeList =
  /(?<![\p{L}])(?:chang|amend|edit|tweak|correct|fix|revis|adjust|änder|geänder|korrig|korrektur|anpass|modif|changement|retouche|cambi|correcci|corregir|ajust|wijzig|aanpass|correctie|verander|verbeter)/iu;

/** A request that only restates a deadline for the one before it: "We need them by the 1st." */
export const restatedNeed =
  /^(?:we|i|wir|ich|nous|je|necesitamos|we)\s+(?:need|needs|brauchen|benötigen|avons besoin|hebben)\s+(?:them|it|this|that|sie|es|les|le|la|ze|het)\b/iu;

/** A proposal ("can we do Tuesday?") that a following "let me know / confirm" asks to answer. */
export const proposal =
  /^(?:can|could|shall|should)\s+we\b|^(?:können|könnten|sollen)\s+wir\b|^(?:pouvons|pourrions|pourrait-on|peut-on)\b|^¿?(?:podemos|podríamos|quedamos)\b|^(?:kunnen|zullen|zouden)\s+we\b/iu;
/** An ask that holds inside a sentence about the sender's own plans. */
export const asksOutright = words(
  "please|pls|kindly|could you|can you|would you|will you|need you|want you|like you|ask you|bitte|könnten sie|können sie|kannst du|s'il vous plaît|svp|merci de|pourriez-vous|pouvez-vous|por favor|podrías|puedes|graag|alstublieft|alsjeblieft|kun je|kunt u",
);

/**
 * A correction: "My brother's name is spelled Raymond, not Ramon", "Das Datum ist der 12.,
 * nicht der 5.", "C'est 12 rue des Tanneurs, pas 21". The state wanted, stated against the wrong one.
 */
export const correction =
  /[^.?!;]{3,80},\s*(?:not|nicht|pas|niet)\s+(?:the\s+|der\s+|die\s+|das\s+|le\s+|la\s+|el\s+|de\s+|het\s+)?(?:\d|["'“„«]|\p{Lu})/u;

/** "Also, please send…": a new request, never a restatement of the one before. */
export const additive =
  /^(?:also|and also|plus|another thing|one more thing|separately|besides|außerdem|zudem|ebenso|weiterhin|aussi|également|par ailleurs|autre chose|también|además|otra cosa|ook|daarnaast|verder|nog iets)(?![\p{L}])/iu;

/** Small talk asks nothing: "How are you?", "¿Cómo va?", "Wie geht's?". */
export const smallTalk = words(
  "how are you|how're you|how's it going|how are things|how have you been|how was your|wie geht|wie geht's|wie läuft's|comment vas-tu|comment allez-vous|ça va|comment ça va|cómo va|cómo estás|cómo está|qué tal|hoe gaat het|hoe is het|alles goed",
);

/** A wish that the next sentence usually turns into the explicit request. */
export const softAsk = words(
  "i'd like to know|we'd like to know|i would like to know|we would like to know|i'd like to understand|we'd like to understand|ich würde gerne wissen|ich wüsste gerne|j'aimerais savoir|j'aimerais comprendre|me gustaría saber|me gustaría entender|ik zou graag willen weten|ik wil graag weten",
);

/** A question about a time or a choice: "Can you manage 2pm?", "Welcher der beiden Termine passt?" */
export const timeOrChoiceQuestion =
  /\d{1,2}(?:[:.h]\d{2}|\s?(?:am|pm|uhr|uur|h)\b)|(?<![\p{L}])(?:today|tomorrow|tonight|morning|afternoon|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday|which|either|whether|or|heute|ob|oder|morgen|nachmittag|montag|dienstag|mittwoch|donnerstag|freitag|welche[rsn]?|termin|demain|après-midi|lundi|mardi|mercredi|jeudi|vendredi|quel(?:le)?|ou|mañana|tarde|lunes|martes|miércoles|jueves|viernes|cuál|vandaag|middag|maandag|dinsdag|woensdag|donderdag|vrijdag|welke)(?![\p{L}])/iu;
export const askToAnswer = words(
  'confirm\\p{L}*|let me know|let us know|reply|respond|get back to me|get back to us|antworten|antwort|répondre|réponse|responder|respuesta|antwoord\\p{L}*|reageren|which works|which suits|tell me|bestätig\\p{L}*|sag mir|sagen sie|bescheid|confirme\\p{L}*|dites-moi|dis-moi|confírm\\p{L}*|confirma\\p{L}*|dime|avísame|bevestig\\p{L}*|laat me weten|laat weten|laat je|laat u',
);

/** The first word of a list item that is an instruction: an imperative, or an infinitive. */
export function startsWithInstruction(item: string, language: string): boolean {
  const body = item
    .replace(/^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+/u, '')
    .replace(/^[\p{L}\d ]{1,30}:\s*/u, '')
    .replace(/^(?:please|bitte|merci de|por favor|graag)\s+/iu, '');
  if (imperativeStart.test(body) || request.test(body)) return true;
  const first = /^\p{L}+/u.exec(body)?.[0]?.toLowerCase() ?? '';
  if (first.length < 4) return false;
  if (language === 'fr') return /(?:er|ir|re)$/.test(first);
  if (language === 'es') return /(?:ar|er|ir)$/.test(first);
  if (language === 'de' || language === 'nl') return /en$/.test(first) || endsWithInfinitive(body, language);
  return false;
}

/**
 * German and Dutch list items put the verb last ("Telefonnummer ergänzen", "de offerte
 * aanpassen"). A short item ending in a lower-case word in -en reads as an instruction; in German
 * the lower case rules out plural nouns, in Dutch the word must be long enough to be a verb.
 */
function endsWithInfinitive(body: string, language: string): boolean {
  const itemWords = body
    .replace(/[.!]+\s*$/u, '')
    .trim()
    .split(/\s+/u);
  if (itemWords.length < 2 || itemWords.length > 6) return false;
  const last = itemWords.at(-1)!;
  if (!/^\p{Ll}+en$/u.test(last)) return false;
  return language === 'de' || last.length >= 6;
}
