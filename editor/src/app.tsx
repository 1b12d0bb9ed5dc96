import { HealthPanel } from './health/health-panel.tsx';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Trellis</h1>
      </header>
      <main className="app-main">
        <HealthPanel />
      </main>
    </div>
  );
}
