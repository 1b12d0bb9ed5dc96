import type { ClientSummary } from './directory.ts';
import { displayText } from '../ui/display-text.ts';

/** A client picked by name among the known ones (an id not among them is kept and shown as is). */
export function ClientField({
  label,
  value,
  onChange,
  clients,
  anyLabel = 'Any client',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  clients: ClientSummary[];
  anyLabel?: string;
}) {
  const known = clients.some((client) => client.id === value);
  const sorted = [...clients].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {value && !known ? <option value={value}>{value}</option> : null}
        {sorted.map((client) => (
          <option key={client.id} value={client.id}>
            {displayText(client.name)}
          </option>
        ))}
      </select>
    </label>
  );
}
