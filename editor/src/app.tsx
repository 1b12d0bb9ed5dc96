import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { checkSession, sessionState, signOut, subscribeSession } from './api/session.ts';
import { matchRoute, paths, useLocation, type Route } from './app/router.ts';
import { TokenPrompt } from './app/token-prompt.tsx';
import { HealthPanel } from './health/health-panel.tsx';
import { Link } from './ui/link.tsx';
import { Page } from './ui/page.tsx';
import { Toasts } from './ui/toasts.tsx';
import { WorkflowsPage } from './workflows/workflows-page.tsx';

// Each page loads when first opened: the canvas, the charts and the forms are large.
const CanaryReportPage = lazy(() =>
  import('./control/canary-report-page.tsx').then((m) => ({ default: m.CanaryReportPage })),
);
const ControlPage = lazy(() => import('./control/control-page.tsx').then((m) => ({ default: m.ControlPage })));
const EditorPage = lazy(() => import('./editor/editor-page.tsx').then((m) => ({ default: m.EditorPage })));
const MailSettingsPage = lazy(() =>
  import('./settings/mail-settings-page.tsx').then((m) => ({ default: m.MailSettingsPage })),
);
const McpServersPage = lazy(() =>
  import('./settings/mcp-servers-page.tsx').then((m) => ({ default: m.McpServersPage })),
);
const MetricsPage = lazy(() => import('./metrics/metrics-page.tsx').then((m) => ({ default: m.MetricsPage })));
const ReviewsPage = lazy(() => import('./reviews/reviews-page.tsx').then((m) => ({ default: m.ReviewsPage })));
const RunPage = lazy(() => import('./runs/run-page.tsx').then((m) => ({ default: m.RunPage })));
const RunsPage = lazy(() => import('./runs/runs-page.tsx').then((m) => ({ default: m.RunsPage })));
const TemplatesPage = lazy(() => import('./templates/templates-page.tsx').then((m) => ({ default: m.TemplatesPage })));

const nav: { href: string; label: string; pages: Route['page'][] }[] = [
  { href: paths.workflows, label: 'Workflows', pages: ['workflows', 'editor'] },
  { href: paths.templates, label: 'Templates', pages: ['templates'] },
  { href: paths.runs(), label: 'Runs', pages: ['runs', 'run'] },
  { href: paths.reviews, label: 'Reviews', pages: ['reviews'] },
  { href: paths.control(), label: 'Control', pages: ['control', 'canary'] },
  { href: paths.metrics, label: 'Metrics', pages: ['metrics'] },
  { href: paths.mailSettings, label: 'Mail', pages: ['mail-settings'] },
  { href: paths.mcpSettings, label: 'MCP', pages: ['mcp-settings'] },
  { href: paths.services, label: 'Services', pages: ['services'] },
];

function Content({ route }: { route: Route }) {
  switch (route.page) {
    case 'workflows':
      return <WorkflowsPage />;
    case 'editor':
      return <EditorPage workflowId={route.workflowId} />;
    case 'templates':
      return <TemplatesPage />;
    case 'runs':
      return <RunsPage />;
    case 'run':
      return <RunPage key={route.runId} runId={route.runId} />;
    case 'reviews':
      return <ReviewsPage />;
    case 'metrics':
      return <MetricsPage />;
    case 'control':
      return <ControlPage section={route.section} />;
    case 'canary':
      return <CanaryReportPage key={route.reportId} reportId={route.reportId} />;
    case 'mail-settings':
      return <MailSettingsPage />;
    case 'mcp-settings':
      return <McpServersPage />;
    case 'services':
      return (
        <div className="page">
          <HealthPanel />
        </div>
      );
    case 'not-found':
      return (
        <Page title="Not found">
          <p>
            Nothing lives at this address. <Link href={paths.workflows}>Go to the workflows.</Link>
          </p>
        </Page>
      );
  }
}

export function App() {
  const { path } = useLocation();
  const session = useSyncExternalStore(subscribeSession, sessionState);
  useEffect(() => {
    void checkSession();
  }, []);
  const route = matchRoute(path);
  // The health panel needs no sign-in; everything else does.
  const open = route.page === 'services';
  return (
    <div className={route.page === 'editor' ? 'app app-full' : 'app'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>
          <Link href={paths.workflows}>Trellis</Link>
        </h1>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.pages.includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {session === 'signed-in' ? (
          <button type="button" className="btn btn-quiet sign-out" onClick={() => void signOut()}>
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" className="app-main">
        {!open && session === 'checking' ? (
          <p className="page muted">Loading…</p>
        ) : !open && session === 'signed-out' ? (
          <TokenPrompt />
        ) : (
          <Suspense fallback={<p className="page muted">Loading…</p>}>
            <Content route={route} />
          </Suspense>
        )}
      </main>
      <Toasts />
    </div>
  );
}
