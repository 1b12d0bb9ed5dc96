/** One spelling for every instant (`toISOString`), so equal times compare and hash equal. */
export function isoInstant(value: string | Date, what: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${what} is not a valid date-time: ${String(value)}`);
  return date.toISOString();
}

export function daysBefore(instant: string, days: number): string {
  return new Date(new Date(instant).getTime() - days * 86_400_000).toISOString();
}
