// Month and weekday names in English, German, French, Spanish and Dutch, for the custom parsers.

export const months: Record<string, number> = {};
const monthNames: string[][] = [
  ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv', 'enero', 'ene', 'januari'],
  ['february', 'feb', 'februar', 'feber', 'février', 'févr', 'fevrier', 'febrero', 'februari'],
  ['march', 'mar', 'märz', 'maerz', 'mars', 'marzo', 'maart', 'mrt'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr'],
  ['may', 'mai', 'mayo', 'mei'],
  ['june', 'jun', 'juni', 'juin', 'junio'],
  ['july', 'jul', 'juli', 'juillet', 'juil', 'julio'],
  ['august', 'aug', 'août', 'aout', 'agosto', 'ago', 'augustus'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre'],
  ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre'],
  ['november', 'nov', 'novembre', 'noviembre'],
  ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc', 'diciembre', 'dic'],
];
monthNames.forEach((names, index) => names.forEach((name) => (months[name] = index + 1)));
export const monthPattern = Object.keys(months)
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace('.', '\\.'))
  .join('|');

export const weekdays: Record<string, number> = {};
const weekdayNames: string[][] = [
  ['sunday', 'sun', 'sonntag', 'so', 'dimanche', 'domingo', 'zondag', 'zo'],
  ['monday', 'mon', 'montag', 'mo', 'lundi', 'lunes', 'maandag', 'ma'],
  ['tuesday', 'tue', 'tues', 'dienstag', 'di', 'mardi', 'martes', 'dinsdag'],
  ['wednesday', 'wed', 'mittwoch', 'mi', 'mercredi', 'miércoles', 'miercoles', 'woensdag', 'wo'],
  ['thursday', 'thu', 'thur', 'thurs', 'donnerstag', 'do', 'jeudi', 'jueves', 'donderdag'],
  ['friday', 'fri', 'freitag', 'fr', 'vendredi', 'viernes', 'vrijdag', 'vr'],
  ['saturday', 'sat', 'samstag', 'sonnabend', 'sa', 'samedi', 'sábado', 'sabado', 'zaterdag', 'za'],
];
weekdayNames.forEach((names, index) => names.forEach((name) => (weekdays[name] = index)));
/** Full weekday names only (the two-letter forms are too ambiguous to find in prose). */
export const weekdayPattern = weekdayNames
  .flatMap((names) => names.filter((name) => name.length > 3))
  .sort((a, b) => b.length - a.length)
  .join('|');
