/** A run or node status as a small labelled pill; the colour is never the only signal. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
