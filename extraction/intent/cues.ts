// Phrases that say what a message is for, by purpose, in English, German, French, Spanish and
// Dutch. They are features of the intent model (learn/train.ts fits how much each group counts
// where it appears), not rules: a phishing mail full of "invoice" words is still told by its
// other features. One "|"-separated line per language keeps the lists readable.

const group = (...languages: string[]) => languages.join('|').split('|');

export const cueGroups = {
  lead: group(
    "quote|quotation|proposal|estimate|looking for|we are looking|we're looking|interested in|would love to work|work with you|enquiry|inquiry|new project|new website|redesign|rebrand|your rates|your rate|your day rate|your hourly rate|your availability|are you available|do you take on|taking on|found you|came across|recommended you|recommended by|your portfolio|your work|hire|commission|tender|rfp|request for proposal|brief|budget is|our budget|ballpark|how much would|how much do you charge|pricing|rough cost|what would it cost|would you be interested|need someone|need a designer|need a photographer|need a developer|we are planning|we're planning|in the market for|what do you charge|what would you charge|your fee|your fees|your prices|got your name|gave me your name|your name from|passed on your details|passed me your details|pointed me to you|would you be open to|are you open to|do you have capacity|have the capacity|take this on|invitation to tender|call for tenders|submit an offer|submit a proposal|request for quotation|rfq|looking to hire|looking to commission",
    'angebot|anfrage|kostenvoranschlag|wir suchen|ich suche|interessiert|zusammenarbeit|neues projekt|empfohlen|empfehlung|ihre arbeiten|budget liegt|unser budget|was würde|was kostet|preisvorstellung|ausschreibung|auf sie aufmerksam|was verlangen sie|ihre preise|ihr honorar|dein honorar|ihren stundensatz|deinen stundensatz|ihr tagessatz|dein tagessatz|ihre konditionen|freie kapazitäten|kapazitäten frei|wären sie offen|ihren namen von|ihren kontakt von|angebotsanfrage|preisanfrage|unverbindliches angebot|auftrag vergeben',
    "devis|demande de devis|nous cherchons|je cherche|intéressé|intéressée|collaboration|nouveau projet|recommandé|votre travail|vos tarifs|votre tarif|ton tarif|notre budget|combien coûterait|appel d'offres|nous recherchons|vos prix|combien prenez-vous|combien facturez-vous|m'a donné votre nom|m'a transmis vos coordonnées|vos coordonnées par|faire appel à vous|faire appel à un|sur recommandation|seriez-vous intéressé|seriez-vous intéressée|consultation",
    'presupuesto|cotización|buscamos|estamos buscando|interesados|interesada|interesado|colaborar|nuevo proyecto|recomendaron|recomendación|su trabajo|tu trabajo|sus tarifas|su tarifa|tu tarifa|nuestro presupuesto|cuánto costaría|licitación|cuánto cobras|cuánto cobra|cuánto cobrarías|tus precios|sus precios|me pasaron tu contacto|me pasó tu contacto|me dieron tu nombre|estaríamos interesados|solicitud de presupuesto|contar contigo|contar con usted',
    'offerte|prijsopgave|wij zoeken|we zoeken|ik zoek|geïnteresseerd|samenwerking|nieuw project|aanbevolen|jullie werk|uw werk|uw tarieven|ons budget|wat zou het kosten|aanbesteding|wat vraag je|wat vragen jullie|wat rekent u|jullie tarieven|uw tarief|je tarief|je tarieven|je naam gekregen|kreeg je naam|je gegevens gekregen|offerteaanvraag|vrijblijvende offerte|zou je interesse',
  ),
  billing: group(
    'invoice|invoices|invoiced|payment|paid|pay|remittance|overdue|outstanding|receipt|purchase order|po number|credit note|refund|bank details|vat|gst|statement|balance|deposit|retainer|billing|accounts payable|payment run|transfer|reissue|net 30|net 45|net 60|due date|fee|fees|upfront|instalment|installment|financial year|tax year|inclusive of|exclusive of|w-9|w9|1099|remit|payable|amount due|bank transfer|wire transfer|sort code|iban|payment terms|settle|settled|unpaid|pro forma|proforma|expenses|cost centre|cost center|charged',
    'rechnung|rechnungen|zahlung|bezahlt|überweisung|überwiesen|gutschrift|mahnung|bestellnummer|zahlungsziel|anzahlung|anzahlungsrechnung|mwst|ust|umsatzsteuer|buchhaltung|zahlungseingang|zahllast|lastschrift|skonto|honorar|steuerberater|beleg|belege|kontoauszug|offener betrag|offene rechnung|bankverbindung|iban|zahlungsbedingungen|begleichen|beglichen|rechnungsnummer|kostenstelle',
    'facture|factures|facturé|paiement|payé|virement|avoir|bon de commande|relance|acompte|tva|comptabilité|règlement|échéance|rib|note de frais|impayé|honoraires|montant dû|coordonnées bancaires|iban|conditions de paiement|régler la facture|réglé|retard de paiement|numéro de facture',
    'factura|facturas|pago|pagado|transferencia|abono|orden de compra|anticipo|iva|irpf|contabilidad|rectificativa|vencimiento|recibo|honorarios|retención|importe|datos bancarios|iban|condiciones de pago|abonar|abonado|pendiente de pago|número de factura|cobro',
    'factuur|facturen|betaling|betaald|overboeking|creditnota|inkooporder|aanbetaling|btw|boekhouding|herinnering|vervaldatum|honorarium|openstaand bedrag|bankgegevens|iban|betalingstermijn|voldoen|voldaan|factuurnummer|achterstallig',
  ),
  change: group(
    'change|changes|add|adding|add to|amend|amendment|amendments|update|replace|swap|tweak|tweaks|revise|revision|revisions|edit|edits|instead of|could we add|can we add|also add|remove|take out|move the|make the|should read|should say|correction|corrections|adjust|additional|extra page|scope|one more thing|go ahead|go-ahead|approved to add|fix the|typo|wrong date|wrong name|bigger|smaller|darker|lighter|shorten|reword|instead|rather than|needs to be|change it to|replace with|swap out|corrected version|revised version|new version|delete',
    'änderung|änderungen|ändern|ersetzen|anpassen|anpassung|korrektur|korrekturen|austauschen|ergänzen|statt|zusätzlich|streichen|umformulieren|kürzen|größer|kleiner|tippfehler|muss heißen|soll heißen|sollte heißen|bitte überall|richtig ist|weglassen|entfernen|hinzufügen|einfügen|korrigieren|korrigierte fassung',
    'modification|modifications|modifier|remplacer|ajouter|corriger|correction|au lieu de|ajustement|supprimer|raccourcir|retirer|reformuler|coquille|doit indiquer|devrait indiquer|il faut mettre|mettre plutôt|plutôt que|enlever|rajouter|changer|remplacer par|version corrigée',
    'cambio|cambios|cambiar|modificar|modificación|sustituir|reemplazar|añadir|agregar|corregir|en lugar de|ajuste|quitar|eliminar|acortar|errata|tiene que decir|debe decir|debería decir|cambiar por|en vez de|versión corregida|corregida|corregido|sacar',
    'wijziging|wijzigingen|aanpassen|aanpassing|vervangen|toevoegen|corrigeren|in plaats van|extra pagina|weghalen|verwijderen|inkorten|typfout|moet zijn|moet worden|moet luiden|veranderen|wijzigen|weglaten|gecorrigeerde versie',
  ),
  feedback: group(
    "love|loved|love it|looks great|look great|looks good|looks amazing|happy with|not happy|disappointed|feedback|thoughts on|impressed|well done|great job|great work|nice work|approve|approved|sign off|signed off|thrilled|delighted|fantastic|brilliant|perfect|amazing|wonderful|beautiful|gorgeous|stunning|exceeded|compliment|kudos|bravo|not quite|doesn't work for|not what we|concerned|frustrated|unhappy|underwhelm|feels|feel like|too busy|too dark|not convinced|miss the mark|best money|so pleased|over the moon|blown away|really like|really liked|we like|not sure about|not keen|spot on|nailed it|works really well|missed the brief|so happy",
    'gefällt|gefallen|super|toll|begeistert|enttäuscht|rückmeldung|zufrieden|unzufrieden|freigabe|freigegeben|wunderbar|großartig|fantastisch|perfekt|klasse|gelungen|hervorragend|kompliment|schwärmt|überzeugt nicht|nicht überzeugt|gefällt uns|gefällt mir|sehr schön|schön geworden|gut gelungen|nicht ganz|passt nicht|lob',
    "j'adore|très bien|magnifique|magnifiques|superbe|génial|merveilleux|parfait|parfaite|bravo|ravi|ravie|ravis|enchanté|sous le charme|déçu|déçue|pas convaincu|retour|retours|satisfait|validé|valider|félicitations|nous plaît|me plaît|très réussi|pas tout à fait|bémol|retour positif",
    'me encanta|nos encanta|nos encantó|genial|precioso|preciosa|maravilloso|perfecto|perfecta|increíble|estupendo|fantástico|encantados|encantada|decepcionado|decepcionada|no nos convence|comentarios|contentos|aprobado|enhorabuena|felicidades|nos gusta|me gusta|muy bonito|quedó genial|no acaba de|no termina de',
    'mooi|prachtig|geweldig|fantastisch|perfect|top|compliment|tevreden|ontevreden|teleurgesteld|blij met|goedgekeurd|akkoord|werkt heel goed|complimenten|trots|vinden het|vind het mooi|erg mooi|goed gelukt|niet helemaal',
  ),
  scheduling: group(
    'meeting|call|reschedule|move our|available|availability|slot|slots|calendar|diary|zoom|teams|appointment|catch up|catch-up|kick-off|kickoff|works for me|does that work|suit you|suits you|postpone|push back|what time|which day|free on|invite|calendar invite|meet|session|book in|pencil in|running late|can we do|rearrange|move the meeting|move our call|push the call|another time|a different time|free for a call|hop on a call|jump on a call|quick call|video call|phone call',
    'termin|termine|terminvorschlag|verschieben|treffen|besprechung|gespräch|telefonat|uhrzeit|einladung|passt ihnen|passt dir|zeitfenster|kalender|verlegen|passt es|hätten sie zeit|haben sie zeit|videocall|anruf|können wir uns',
    'rendez-vous|réunion|créneau|créneaux|disponible|disponibilités|décaler|reporter|appel|visio|convient|agenda|invitation|êtes-vous disponible|seriez-vous disponible|à quelle heure|déplacer|point téléphonique|faire un point',
    'reunión|cita|llamada|videollamada|disponibilidad|horario|cambiar la fecha|quedar|te va bien|le viene bien|agenda|invitación|aplazar|estás disponible|está disponible|podemos vernos|mover la reunión|cambiar la hora|a qué hora|mover la llamada',
    'afspraak|vergadering|overleg|verzetten|verplaatsen|beschikbaar|tijdstip|bellen|agenda|uitnodiging|schikt|past het|schikt het|kunnen we afspreken|ben je beschikbaar|bent u beschikbaar|belafspraak|videogesprek|om hoe laat',
  ),
  // Work already agreed or under way with the operator: what tells a change to a job from a new
  // enquiry about one ("add a page to the site you're building" vs "we need a new site").
  ongoing: group(
    "already|original scope|original quote|original estimate|original brief|beyond the scope|outside the scope|out of scope|on top of|add to the project|to the project|as discussed|as agreed|as we discussed|following our call|following our meeting|per our conversation|the latest version|the latest draft|your draft|your drafts|the drafts|the proofs|the proof|the mockups|the mock-ups|the current version|the agreed|you sent over|you've sent|you have sent|you're building|you are building|you're working on|you are working on|you're writing|you are writing|you're doing for|what you're doing|the job you|so far|in progress",
    'wie besprochen|wie vereinbart|bereits|ursprünglichen|ursprüngliche|ursprünglich|zusätzlich zum|zum projekt|im projekt|deinen entwurf|ihren entwurf|den entwurf|die entwürfe|die aktuelle version|die korrekturfahne|gerade arbeitest|gerade arbeiten|in arbeit|bisher|bisherigen',
    "comme convenu|comme discuté|comme évoqué|déjà|devis initial|initialement|en plus du devis|en cours|que tu es en train|que vous êtes en train|ta maquette|votre maquette|les maquettes|la dernière version|le projet en cours|suite à notre|jusqu'ici",
    'como hablamos|como acordamos|como comentamos|ya estás|presupuesto original|presupuesto inicial|en curso|que estás haciendo|que estás preparando|la maqueta|las maquetas|la última versión|el borrador|los borradores|además de lo acordado|sobre lo acordado|hasta ahora',
    'zoals besproken|zoals afgesproken|oorspronkelijke|bovenop|lopende|waar je mee bezig|waar u mee bezig|het ontwerp|de laatste versie|de drukproef|het concept|naar aanleiding van ons|tot nu toe|al bezig',
  ),
  // The sender says who they are or for whom they write: how first contact opens, in a lead (or a
  // cold pitch), seldom in mail about work already under way.
  introduces: group(
    "we're a|we are a|we're an|we are an|we're the|i'm writing on behalf|writing on behalf of|on behalf of|my name is|let me introduce myself|a bit about us|a little about us|we make|we run a|i run a|we own a|i own a|your name came up|take on the|take on a|would you be up for|i'm the founder|i'm the owner|i am the owner|i'm head of|i'm the director|i'm the marketing",
    'wir sind ein|wir sind eine|mein name ist|im auftrag von|kurz zu uns|kurz zu mir|wir betreiben|ich betreibe|ich bin inhaber|ich bin inhaberin|ich bin geschäftsführer|ich bin geschäftsführerin|ich leite',
    "nous sommes une|nous sommes un|je m'appelle|de la part de|au nom de|nous gérons|je gère|je dirige|nous dirigeons|je suis responsable|je suis gérant|je suis gérante|je suis directeur|je suis directrice|je suis fondateur|je suis fondatrice",
    'somos una|somos un|me llamo|mi nombre es|en nombre de|de parte de|gestionamos|tenemos una|tenemos un|dirijo|soy el responsable|soy la responsable|soy el director|soy la directora|soy fundador|soy fundadora',
    'wij zijn een|we zijn een|mijn naam is|namens|wij runnen|ik run|ik heb een|wij hebben een|ik ben eigenaar|ik ben de eigenaar|ik ben directeur|ik leid',
  ),
  // Gratitude: in praise of the work, but as often a courtesy in any mail ("thank you for your
  // quick reply"); its own group, so training weighs it apart from feedback.
  thanks: group(
    'thank you for|thanks for|thanks so much|many thanks|grateful|appreciate',
    'danke für|vielen dank für|herzlichen dank|dankbar',
    'merci pour|merci encore|merci beaucoup|gratitude|reconnaissant|reconnaissante',
    'gracias por|muchas gracias|agradecemos|agradecido|agradecida',
    'dank je wel voor|bedankt voor|hartelijk dank|dankbaar',
  ),
  decline: group(
    "decided to go with|go with another|gone with another|going with another|another agency|another studio|another designer|another photographer|another supplier|someone else|not moving forward|not be moving forward|won't be proceeding|will not be proceeding|not proceed|on hold|put the project on hold|pause the project|pausing|budget was cut|budget has been cut|no longer need|decided not to|regret to inform|not the right fit|pass on|cheaper quote|went with|unfortunately we|we have decided|cancel the project|another proposal|another offer|another quote|another provider|another vendor|chosen another|selected another|awarded to|not been successful|unsuccessful|won't be going ahead|not going ahead|will not be going ahead|called off",
    'anders entschieden|andere agentur|anderen anbieter|absage|leider müssen wir|nicht weiterverfolgen|auf eis|haben uns für|pausieren|abgesagt|zurückstellen|anderes angebot|anderen vorschlag|anderen dienstleister|nicht zum zug|leider absagen|nicht berücksichtigt',
    'autre prestataire|autre agence|ne donnerons pas suite|pas donner suite|malheureusement|décidé de|avons choisi|mettre en pause|en suspens|abandonner|une autre proposition|une autre offre|un autre prestataire|retenu une autre|retenir une autre|pas été retenu|pas été retenue|ne pas donner suite|renoncer',
    'otra agencia|otro proveedor|hemos decidido|lamentablemente|no seguiremos|no vamos a seguir|hemos elegido|en pausa|cancelar el proyecto|otra propuesta|otra oferta|otro estudio|no ha sido seleccionada|no ha sido seleccionado|no seguir adelante|no vamos a continuar',
    'andere partij|ander bureau|besloten|helaas|niet door|gaan niet verder|gekozen voor|on hold|stopzetten|uitstellen|andere offerte|ander voorstel|andere aanbieder|niet gekozen|niet geselecteerd|afzien van|gaan we niet door',
  ),
  spam: group(
    'seo|rank|ranking|backlinks|guest post|sponsored|crypto|bitcoin|investment|guaranteed|click here|verify|suspended|password|log in|login|sign in|unsubscribe|special offer|discount|winner|congratulations|claim|limited time|dear customer|dear user|dear sir|dear ceo|valued customer|domain listing|delivery attempt|customs fee|gift card|wallet|lead generation|outsourcing|we are a leading|following up on my previous email|free consultation|dedicated developers|internet keyword|trademark|registration center|automated message|do not reply|backlink|dofollow|link insertion|guest posting|outreach|increase your sales|boost your|first page of google|top of google|web traffic|are you the right person|decision maker|book a demo|schedule a demo|grow your business|we specialise in|we specialize in|white label|offshore|hire dedicated|act now|urgent action|confirm your|update your payment|view document|secure message',
    'paket|sendung|zustellung|konto|gesperrt|bestätigen sie|gewinnspiel|rabatt|ihr konto|bestätigen sie ihre|jetzt handeln|steigern sie|mehr umsatz|handelsregister|firmenverzeichnis|branchenbuch',
    'colis|livraison|compte|vérifiez|gagnant|offre spéciale|régularisation|régulariser|suspendus|message automatique|votre compte|confirmez|augmentez vos ventes|référencement|annuaire|cliquez ici|cliquez sur le lien',
    'paquete|cuenta|verifique|ganador|oferta especial|devolución|contribuyente|datos bancarios|mensaje automático|su cuenta|confirme|aumente sus ventas|posicionamiento|haga clic|pulse aquí|registro mercantil',
    'pakket|bezorging|rekening|verifieer|winnaar|aanbieding|uw account|bevestig|klik hier|meer omzet|vindbaarheid|handelsregister',
  ),
  notice: group(
    'please note|for your information|fyi|just to let you know|heads up|we have moved|new address|change of contact|new contact|will be closed|office closed|introduce|introducing|meet our|on leave|maternity leave|taking over|my colleague|no longer with|new point of contact|introduce you|let me introduce|like to introduce|connecting you|putting you in touch|no action needed|no action required|no need to reply|for your records|just so you know',
    'zur info|zur kenntnis|wir sind umgezogen|neue adresse|vorstellen|neuer ansprechpartner|neue ansprechpartnerin|im urlaub|geschlossen|darf ich vorstellen|möchte ihnen vorstellen|in kontakt bringen|keine antwort nötig|keine aktion erforderlich|betriebsferien',
    'pour information|nous avons déménagé|nouvelle adresse|nouveau contact|vous présenter|fermé|fermeture|en congé|je vous présente|mettre en relation|mise en relation|aucune action requise|pas besoin de répondre|congés annuels',
    'para su información|nos hemos mudado|nueva dirección|nuevo contacto|presentarte|cerrado|de vacaciones|te presento|le presento|poner en contacto|no es necesario responder|no requiere acción|cierre por vacaciones',
    'ter info|ter informatie|verhuisd|nieuw adres|nieuwe contactpersoon|voorstellen|gesloten|met verlof|mag ik je voorstellen|in contact brengen|geen actie nodig|je hoeft niet te reageren|zomersluiting',
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
