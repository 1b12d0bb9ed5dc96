// How numbers and times read in the UI, in one place.

export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDuration(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatCost(usd: number | undefined | null): string {
  if (usd === undefined || usd === null) return '—';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatPercent(rate: number | undefined | null): string {
  return rate === undefined || rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function shortHash(hash: string | undefined): string {
  return hash ? hash.replace(/^sha256:/, '').slice(0, 10) : '—';
}
