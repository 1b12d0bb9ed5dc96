// The control plane: how events find their workflow (rules, suggestions, past routings), who acts
// within which budget (agents), what a change would do before it goes live (canaries), and what
// the advisor proposes. Each part has its own address, so a link or the back button lands on it.
import type { ControlSection } from '../app/router.ts';
import { paths } from '../app/router.ts';
import { Link } from '../ui/link.tsx';
import { Page } from '../ui/page.tsx';
import { AdvisorSection } from './advisor/advisor-section.tsx';
import { AgentsSection } from './agents/agents-section.tsx';
import { CanariesSection } from './canary/canaries-section.tsx';
import { RoutingSection } from './routing/routing-section.tsx';
import { RoutingsSection } from './routing/routings-section.tsx';
import { SuggestionsSection } from './routing/suggestions-section.tsx';

const sections: { id: ControlSection; label: string }[] = [
  { id: 'routing', label: 'Routing rules' },
  { id: 'suggestions', label: 'Suggestions' },
  { id: 'routings', label: 'Recent routings' },
  { id: 'agents', label: 'Agents' },
  { id: 'canaries', label: 'Canary reports' },
  { id: 'advisor', label: 'Advisor' },
];

function Section({ section }: { section: ControlSection }) {
  switch (section) {
    case 'routing':
      return <RoutingSection />;
    case 'suggestions':
      return <SuggestionsSection />;
    case 'routings':
      return <RoutingsSection />;
    case 'agents':
      return <AgentsSection />;
    case 'canaries':
      return <CanariesSection />;
    case 'advisor':
      return <AdvisorSection />;
  }
}

export function ControlPage({ section }: { section: ControlSection }) {
  return (
    <Page title="Control plane">
      <nav className="section-nav" aria-label="Control plane sections">
        <ul>
          {sections.map((item) => (
            <li key={item.id}>
              <Link href={paths.control(item.id)} aria-current={item.id === section ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Section section={section} />
    </Page>
  );
}
