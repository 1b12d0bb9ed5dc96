// Calendar dates as YYYY-MM-DD strings: an invoice date is a day, not an instant.

/** The date it is at `instant` in `timeZone` (IANA): 2026-03-01T23:30Z in Asia/Tokyo is 2026-03-02. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(date: string, days: number): string {
  const utc = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(utc.getTime())) throw new RangeError(`${date} is not a date`);
  utc.setUTCDate(utc.getUTCDate() + days);
  return utc.toISOString().slice(0, 10);
}
