import { useEffect, useState } from 'react';

interface ServiceHealth {
  reachable: boolean;
  version?: string;
  origin: 'env' | 'local';
  detail?: string;
  error?: string;
}

interface HealthReport {
  ok: boolean;
  services: Record<string, ServiceHealth>;
}

/** The services Trellis runs on, refreshed every few seconds. */
export function HealthPanel() {
  const [report, setReport] = useState<HealthReport | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      fetch('/api/health')
        .then((response) => response.json() as Promise<HealthReport>)
        .then((body) => !cancelled && (setReport(body), setError(undefined)))
        .catch((reason: Error) => !cancelled && setError(reason.message));
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  if (error) return <p role="alert">Cannot reach the Trellis server: {error}</p>;
  if (!report) return <p>Checking services…</p>;
  return (
    <section aria-labelledby="health-title" className="panel">
      <h2 id="health-title">Services</h2>
      <table className="health-table">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">State</th>
            <th scope="col">Version</th>
            <th scope="col">Origin</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(report.services).map(([name, service]) => (
            <tr key={name} data-service={name}>
              <td>{name}</td>
              <td className={service.reachable ? 'state-up' : 'state-down'}>
                {service.reachable ? 'up' : `down: ${service.error ?? ''}`}
              </td>
              <td>{service.version ?? '—'}</td>
              <td>{service.origin === 'local' ? 'started locally' : 'from environment'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
