// Timestamps that keep the writer's UTC offset: "2026-03-04T23:40:00+13:00" says both the
// instant and the sender's wall clock, which "tomorrow" in their text is relative to.

const OFFSET = /(?:([+-])(\d{2}):?(\d{2})|Z)$/i;

/** The UTC offset in minutes written at the end of an ISO 8601 timestamp; undefined when none is. */
export function offsetOfIso(timestamp: string): number | undefined {
  const match = OFFSET.exec(timestamp.trim());
  if (!match) return undefined;
  if (!match[1]) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** "+13:00" for 780, "-05:30" for -330, "+00:00" for 0. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The instant as the writer's wall-clock time with their offset: ISO 8601, seconds precision. */
export function isoWithOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  return `${local}${formatOffset(offsetMinutes)}`;
}

/** The offset of an RFC 5322 Date header ("Tue, 4 Mar 2025 14:22:10 -0500"); undefined without one. */
export function offsetOfDateHeader(header: string): number | undefined {
  const match = /\s([+-])(\d{2})(\d{2})(?:\s*\([^)]*\))?\s*$/.exec(header);
  if (match) return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  // Obsolete zone names (RFC 5322 4.3): UT/GMT/Z are UTC, the US zones have fixed offsets.
  const zone = /\s(UT|GMT|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT)\s*$/i.exec(header)?.[1]?.toUpperCase();
  const zones: Record<string, number> = {
    UT: 0,
    GMT: 0,
    Z: 0,
    EST: -300,
    EDT: -240,
    CST: -360,
    CDT: -300,
    MST: -420,
    MDT: -360,
    PST: -480,
    PDT: -420,
  };
  return zone === undefined ? undefined : zones[zone];
}
