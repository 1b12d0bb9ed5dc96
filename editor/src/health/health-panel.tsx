import { useEffect, useState } from 'react';
import type { HealthReport, ServiceHealth, SupervisedProcess } from '../api/types.ts';

/** /api/health with the session cookie: without a session the server says only whether all is well. */
async function loadHealth(): Promise<HealthReport> {
  const response = await fetch('/api/health', { credentials: 'same-origin' });
  if (response.status === 401) throw new Error('the session has ended: sign in again');
  return (await response.json()) as HealthReport;
}

/** The services Trellis runs on, refreshed every few seconds. */
export function HealthPanel() {
  const [report, setReport] = useState<HealthReport | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      loadHealth()
        .then((body) => !cancelled && (setReport(body), setError(undefined)))
        .catch((reason: Error) => !cancelled && setError(reason.message));
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  if (error) return <p role="alert">Cannot read the service health: {error}</p>;
  if (!report) return <p>Checking services…</p>;
  if (!report.services) {
    return (
      <section aria-labelledby="health-title" className="panel">
        <h2 id="health-title">Services</h2>
        <p className={report.ok ? 'state-up' : 'state-down'}>
          {report.ok ? 'Everything is up.' : 'Something is down or restarting.'}
        </p>
        <p className="muted">
          {
            'Details of each service and process need a signed-in session; if you are signed in, the server could not check it (is its database down?).'
          }
        </p>
      </section>
    );
  }
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
              <td className={service.reachable ? 'state-up' : service.startup ? 'state-starting' : 'state-down'}>
                {serviceState(service)}
              </td>
              <td>{service.version ?? '—'}</td>
              <td>{service.origin === 'local' ? 'started locally' : 'from environment'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.processes ? <ProcessTable processes={report.processes} /> : null}
    </section>
  );
}

/** "up", "building (42 %): Temporal is still being built: about 6 min left", or "down: why". */
function serviceState(service: ServiceHealth): string {
  if (service.reachable) return 'up';
  if (service.startup) return `${service.startup}: ${service.error ?? ''}`;
  return `down: ${service.error ?? ''}`;
}

function describeState(process: SupervisedProcess): string {
  const exit = process.lastExit ? ` (last exit: ${process.lastExit})` : '';
  switch (process.state) {
    case 'running':
      return `running${process.pid ? `, pid ${process.pid}` : ''}`;
    case 'restarting':
      return `restarting${process.nextRestartAt ? ` at ${new Date(process.nextRestartAt).toLocaleTimeString()}` : ''}${exit}`;
    case 'down':
      return `down after repeated crashes${exit}`;
    case 'stopped':
      return 'stopped';
  }
}

/** What `trellis up` supervises: each process's state and how often it was restarted. */
function ProcessTable({ processes }: { processes: Record<string, SupervisedProcess> }) {
  return (
    <table className="health-table" aria-label="Supervised processes">
      <thead>
        <tr>
          <th scope="col">Process</th>
          <th scope="col">State</th>
          <th scope="col">Restarts</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(processes).map(([name, process]) => (
          <tr key={name} data-process={name}>
            <td>{name}</td>
            <td className={process.state === 'running' ? 'state-up' : 'state-down'}>{describeState(process)}</td>
            <td>{process.restarts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
