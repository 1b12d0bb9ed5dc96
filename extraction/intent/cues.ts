// Phrases that say what a message is for, by purpose, in English, German, French, Spanish and
// Dutch. They are features of the intent model (learn/train.ts fits how much each group counts
// where it appears), not rules: a phishing mail full of "invoice" words is still told by its
// other features. One "|"-separated line per language keeps the lists readable.

const group = (...languages: string[]) => languages.join('|').split('|');

export const cueGroups = {
  lead: group(
    "quote|quotation|proposal|estimate|looking for|we are looking|we're looking|interested in|would love to work|work with you|enquiry|inquiry|new project|new website|redesign|rebrand|your rates|your availability|are you available|do you take on|taking on|found you|came across|recommended you|recommended by|your portfolio|your work|hire|commission|tender|rfp|request for proposal|brief|budget is|our budget|ballpark|how much would|how much do you charge|pricing|rough cost|what would it cost|would you be interested|need someone|need a designer|need a photographer|need a developer|we are planning|we're planning|in the market for",
    'angebot|anfrage|kostenvoranschlag|wir suchen|ich suche|interessiert|zusammenarbeit|neues projekt|empfohlen|empfehlung|ihre arbeiten|budget liegt|unser budget|was würde|was kostet|preisvorstellung|ausschreibung|auf sie aufmerksam',
    "devis|demande de devis|nous cherchons|je cherche|intéressé|intéressée|collaboration|nouveau projet|recommandé|votre travail|vos tarifs|notre budget|combien coûterait|appel d'offres|nous recherchons",
    'presupuesto|cotización|buscamos|estamos buscando|interesados|interesada|interesado|colaborar|nuevo proyecto|recomendaron|recomendación|su trabajo|tu trabajo|sus tarifas|nuestro presupuesto|cuánto costaría|licitación',
    'offerte|prijsopgave|wij zoeken|we zoeken|ik zoek|geïnteresseerd|samenwerking|nieuw project|aanbevolen|jullie werk|uw werk|uw tarieven|ons budget|wat zou het kosten|aanbesteding',
  ),
  billing: group(
    'invoice|invoices|invoiced|payment|paid|pay|remittance|overdue|outstanding|receipt|purchase order|po number|credit note|refund|bank details|vat|gst|statement|balance|deposit|retainer|billing|accounts payable|payment run|transfer|reissue|net 30|net 45|net 60|due date|fee|fees|upfront|instalment|installment|financial year|tax year|inclusive of|exclusive of|w-9|w9|1099|remit|payable',
    'rechnung|rechnungen|zahlung|bezahlt|überweisung|überwiesen|gutschrift|mahnung|bestellnummer|zahlungsziel|anzahlung|anzahlungsrechnung|mwst|ust|umsatzsteuer|buchhaltung|zahlungseingang|zahllast|lastschrift|skonto|honorar|steuerberater|beleg|belege|kontoauszug',
    'facture|factures|facturé|paiement|payé|virement|avoir|bon de commande|relance|acompte|tva|comptabilité|règlement|échéance|rib|note de frais|impayé|honoraires',
    'factura|facturas|pago|pagado|transferencia|abono|orden de compra|anticipo|iva|irpf|contabilidad|rectificativa|vencimiento|recibo|honorarios|retención',
    'factuur|facturen|betaling|betaald|overboeking|creditnota|inkooporder|aanbetaling|btw|boekhouding|herinnering|vervaldatum|honorarium',
  ),
  change: group(
    'change|changes|amend|amendment|amendments|update|replace|swap|tweak|tweaks|revise|revision|revisions|edit|edits|instead of|could we add|can we add|also add|remove|take out|move the|make the|should read|should say|correction|corrections|adjust|additional|extra page|scope|one more thing|go ahead|go-ahead|approved to add|fix the|typo|wrong date|wrong name|bigger|smaller|darker|lighter|shorten|reword',
    'änderung|änderungen|ändern|ersetzen|anpassen|anpassung|korrektur|korrekturen|austauschen|ergänzen|statt|zusätzlich|streichen|umformulieren|kürzen|größer|kleiner|tippfehler',
    'modification|modifications|modifier|remplacer|ajouter|corriger|correction|au lieu de|ajustement|supprimer|raccourcir|retirer|reformuler|coquille',
    'cambio|cambios|cambiar|modificar|modificación|sustituir|reemplazar|añadir|agregar|corregir|en lugar de|ajuste|quitar|eliminar|acortar|errata',
    'wijziging|wijzigingen|aanpassen|aanpassing|vervangen|toevoegen|corrigeren|in plaats van|extra pagina|weghalen|verwijderen|inkorten|typfout',
  ),
  feedback: group(
    "love|loved|love it|looks great|look great|looks good|looks amazing|happy with|not happy|disappointed|feedback|thoughts on|impressed|well done|great job|great work|nice work|approve|approved|sign off|signed off|thrilled|delighted|fantastic|brilliant|perfect|amazing|wonderful|beautiful|gorgeous|stunning|exceeded|compliment|kudos|bravo|thank you for|thanks for all|grateful|not quite|doesn't work for|not what we|concerned|frustrated|unhappy|underwhelm|feels|feel like|too busy|too dark|not convinced|miss the mark|best money|so pleased|over the moon|blown away",
    'gefällt|gefallen|super|toll|begeistert|enttäuscht|rückmeldung|zufrieden|unzufrieden|freigabe|freigegeben|wunderbar|großartig|fantastisch|perfekt|klasse|gelungen|hervorragend|kompliment|danke für|vielen dank für|schwärmt|überzeugt nicht|nicht überzeugt',
    "j'adore|très bien|magnifique|magnifiques|superbe|génial|merveilleux|parfait|parfaite|bravo|ravi|ravie|ravis|enchanté|sous le charme|déçu|déçue|pas convaincu|retour|retours|satisfait|validé|valider|merci pour|merci encore|gratitude|félicitations",
    'me encanta|nos encanta|nos encantó|genial|precioso|preciosa|maravilloso|perfecto|perfecta|increíble|estupendo|fantástico|encantados|encantada|decepcionado|decepcionada|no nos convence|comentarios|contentos|aprobado|gracias por|enhorabuena|felicidades',
    'mooi|prachtig|geweldig|fantastisch|perfect|top|compliment|tevreden|ontevreden|teleurgesteld|blij met|goedgekeurd|akkoord|werkt heel goed|dank je wel voor|bedankt voor|complimenten|trots',
  ),
  scheduling: group(
    'meeting|call|reschedule|move our|available|availability|slot|slots|calendar|diary|zoom|teams|appointment|catch up|catch-up|kick-off|kickoff|works for me|does that work|suit you|suits you|postpone|push back|what time|which day|free on|invite|calendar invite|meet|session|book in|pencil in|running late|can we do',
    'termin|termine|terminvorschlag|verschieben|treffen|besprechung|gespräch|telefonat|uhrzeit|einladung|passt ihnen|passt dir|zeitfenster|kalender|verlegen',
    'rendez-vous|réunion|créneau|créneaux|disponible|disponibilités|décaler|reporter|appel|visio|convient|agenda|invitation',
    'reunión|cita|llamada|videollamada|disponibilidad|horario|cambiar la fecha|quedar|te va bien|le viene bien|agenda|invitación|aplazar',
    'afspraak|vergadering|overleg|verzetten|verplaatsen|beschikbaar|tijdstip|bellen|agenda|uitnodiging|schikt|past het',
  ),
  decline: group(
    "decided to go with|go with another|gone with another|going with another|another agency|another studio|another designer|another photographer|another supplier|someone else|not moving forward|not be moving forward|won't be proceeding|will not be proceeding|not proceed|on hold|put the project on hold|pause the project|pausing|budget was cut|budget has been cut|no longer need|decided not to|regret to inform|not the right fit|pass on|cheaper quote|went with|unfortunately we|we have decided|cancel the project",
    'anders entschieden|andere agentur|anderen anbieter|absage|leider müssen wir|nicht weiterverfolgen|auf eis|haben uns für|pausieren|abgesagt|zurückstellen',
    'autre prestataire|autre agence|ne donnerons pas suite|pas donner suite|malheureusement|décidé de|avons choisi|mettre en pause|en suspens|abandonner',
    'otra agencia|otro proveedor|hemos decidido|lamentablemente|no seguiremos|no vamos a seguir|hemos elegido|en pausa|cancelar el proyecto',
    'andere partij|ander bureau|besloten|helaas|niet door|gaan niet verder|gekozen voor|on hold|stopzetten|uitstellen',
  ),
  spam: group(
    'seo|rank|ranking|backlinks|guest post|sponsored|crypto|bitcoin|investment|guaranteed|click here|verify|suspended|password|log in|login|sign in|unsubscribe|special offer|discount|winner|congratulations|claim|limited time|dear customer|dear user|dear sir|dear ceo|valued customer|domain listing|delivery attempt|customs fee|gift card|wallet|lead generation|outsourcing|we are a leading|following up on my previous email|free consultation|dedicated developers|internet keyword|trademark|registration center|automated message|do not reply',
    'paket|sendung|zustellung|konto|gesperrt|bestätigen sie|gewinnspiel|rabatt',
    'colis|livraison|compte|vérifiez|gagnant|offre spéciale|régularisation|régulariser|suspendus|message automatique',
    'paquete|envío|cuenta|verifique|ganador|oferta especial|devolución|contribuyente|datos bancarios|mensaje automático',
    'pakket|bezorging|rekening|verifieer|winnaar|aanbieding',
  ),
  notice: group(
    'please note|for your information|fyi|just to let you know|heads up|we have moved|new address|change of contact|new contact|will be closed|office closed|introduce|introducing|meet our|on leave|maternity leave|taking over|my colleague|no longer with|new point of contact',
    'zur info|zur kenntnis|wir sind umgezogen|neue adresse|vorstellen|neuer ansprechpartner|neue ansprechpartnerin|im urlaub|geschlossen',
    'pour information|nous avons déménagé|nouvelle adresse|nouveau contact|vous présenter|fermé|fermeture|en congé',
    'para su información|nos hemos mudado|nueva dirección|nuevo contacto|presentarte|cerrado|de vacaciones',
    'ter info|ter informatie|verhuisd|nieuw adres|nieuwe contactpersoon|voorstellen|gesloten|met verlof',
  ),
} as const;

export type CueGroup = keyof typeof cueGroups;

function compile(phrases: readonly string[]): RegExp {
  const escaped = phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return new RegExp(`(?<![\\p{L}])(?:${escaped.join('|')})(?![\\p{L}])`, 'giu');
}

const compiled = Object.fromEntries(
  Object.entries(cueGroups).map(([name, phrases]) => [name, compile(phrases)]),
) as Record<CueGroup, RegExp>;

/** The cue phrases of each group found in the text (lower case, as written). */
export function cueMatches(text: string): Record<CueGroup, string[]> {
  const out = {} as Record<CueGroup, string[]>;
  for (const name of Object.keys(compiled) as CueGroup[])
    out[name] = (text.match(compiled[name]) ?? []).map((m) => m.toLowerCase().replace(/\s+/g, ' '));
  return out;
}
