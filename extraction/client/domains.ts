// Mail domains that say nothing about the organisation a sender speaks for: free-mail
// providers, and relays that send on someone else's behalf (form builders, CRMs, schedulers).

const freeMail = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'hotmail.de',
  'hotmail.es',
  'live.com',
  'live.co.uk',
  'live.fr',
  'live.nl',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'yahoo.es',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'protonmail.com',
  'proton.me',
  'pm.me',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'gmx.ch',
  'web.de',
  't-online.de',
  'freenet.de',
  'posteo.de',
  'mailbox.org',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'laposte.net',
  'sfr.fr',
  'bluewin.ch',
  'hispeed.ch',
  'telefonica.net',
  'ziggo.nl',
  'kpnmail.nl',
  'planet.nl',
  'home.nl',
  'hetnet.nl',
  'xs4all.nl',
  'telenet.be',
  'skynet.be',
  'libero.it',
  'virgilio.it',
  'btinternet.com',
  'sky.com',
  'virginmedia.com',
  'talktalk.net',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'bigpond.com',
  'optusnet.com.au',
  'xtra.co.nz',
  'shaw.ca',
  'rogers.com',
  'sympatico.ca',
  'fastmail.com',
  'fastmail.fm',
  'zoho.com',
  'tutanota.com',
  'hey.com',
  'mail.com',
  'email.com',
  'yandex.com',
  'qq.com',
  '163.com',
  'outlook.de',
  'outlook.fr',
  'outlook.es',
  'hotmail.nl',
  'live.de',
  'aon.at',
  'chello.at',
  'a1.net',
  'prodigy.net.mx',
  'hotmail.com.ar',
  'yahoo.com.ar',
  'yahoo.com.mx',
  'outlook.com.au',
  'icloud.co.uk',
]);

const relays = [
  'webflow.com',
  'typeform.com',
  'squarespace.com',
  'squarespace.info',
  'squarespace-mail.com',
  'wix.com',
  'wixforms.com',
  'wixemails.com',
  'jotform.com',
  'formspree.io',
  'hubspot.com',
  'hs-forms.com',
  'mailchimp.com',
  'mcsv.net',
  'google.com',
  'docs.google.com',
  'wordpress.com',
  'wpengine.com',
  'calendly.com',
  'acuityscheduling.com',
  'paypal.com',
  'stripe.com',
  'wise.com',
  'sendgrid.net',
  'mailgun.org',
  'amazonses.com',
  'zendesk.com',
  'intercom.io',
  'gravityforms.com',
  'tally.so',
  'formstack.com',
  'cognitoforms.com',
  'netlify.com',
  'framer.com',
  'carrd.co',
  'ghost.io',
  'substack.com',
];

// Platforms that write their own notices (payments, bookings, newsletters): what they send is
// machine mail even when a Reply-To names the person the notice is about.
const notifiers = [
  'calendly.com',
  'acuityscheduling.com',
  'paypal.com',
  'paypal.es',
  'paypal.de',
  'paypal.fr',
  'paypal.co.uk',
  'stripe.com',
  'wise.com',
  'mailchimp.com',
  'mcsv.net',
  'substack.com',
  'ghost.io',
  'zoom.us',
  'docusign.net',
  'dropbox.com',
];

const domainOf = (address: string | undefined) => address?.split('@')[1]?.toLowerCase().trim() ?? '';

export function isFreeMail(address: string | undefined): boolean {
  return freeMail.has(domainOf(address));
}

/** A relay: form builders and mail services that send on behalf of someone else. */
export function isRelay(address: string | undefined): boolean {
  const domain = domainOf(address);
  const local = address?.split('@')[0]?.toLowerCase() ?? '';
  if (relays.some((relay) => domain === relay || domain.endsWith(`.${relay}`))) return true;
  // "wordpress@client.com", "forms@…": a site's own form mailer.
  return /^(?:wordpress|forms?|contact-?form|webform|formular|noreply-forms)$/.test(local);
}

/** A platform's own notice (a booking, a payment, a newsletter), never a client's mail. */
export function isNotifier(address: string | undefined): boolean {
  const domain = domainOf(address);
  return notifiers.some((notifier) => domain === notifier || domain.endsWith(`.${notifier}`));
}

export function domainOfAddress(address: string | undefined): string {
  return domainOf(address);
}

/** "mail.crumbandco.co.uk" → "crumbandco": the registrable name without public suffixes. */
export function domainStem(domain: string): string {
  const parts = domain.toLowerCase().split('.').filter(Boolean);
  const suffixes = new Set(['co', 'com', 'org', 'net', 'gov', 'ac', 'edu', 'ltd', 'plc', 'gob', 'gv', 'or', 'ne']);
  if (parts.length > 1) parts.pop(); // the top-level domain, whatever it is (.com, .de, .studio)
  if (parts.length > 1 && suffixes.has(parts.at(-1)!)) parts.pop(); // .co.uk, .com.au
  return parts.at(-1) ?? domain;
}
