import { Command } from 'commander';
import { apiClient } from './api-client.ts';
import { printJson } from './output.ts';

export interface RouteReply {
  eventId: string;
  duplicate: boolean;
  outcome: 'run' | 'triage' | 'dismissed';
  decision: {
    reason: string;
    intent?: string;
    confidence?: number;
    ruleId?: string;
    ruleSetVersion?: number;
    workflowId?: string;
    version?: number;
    start?: { mode: string; reason: string; waitedUntil?: string };
  };
  runId?: string;
  triageTaskId?: string;
}

/** One routing decision in a few lines, for people. */
export function describeRouting(reply: RouteReply): string {
  const { decision } = reply;
  const where =
    reply.outcome === 'run'
      ? `run of ${decision.workflowId ?? '?'} v${decision.version ?? '?'} (${reply.runId ?? 'not started'})`
      : reply.outcome === 'triage'
        ? `triage task ${reply.triageTaskId ?? '?'} in the review queue`
        : 'dismissed';
  const lines = [`event ${reply.eventId}: ${where}${reply.duplicate ? ' — routed before, nothing new started' : ''}`];
  const intent = decision.intent ? `intent ${decision.intent} at ${(decision.confidence ?? 0).toFixed(2)}` : '';
  const rule = decision.ruleId ? `rule ${decision.ruleId} of rules v${decision.ruleSetVersion ?? '?'}` : '';
  if (intent || rule) lines.push(`  ${[intent, rule].filter(Boolean).join(', ')}`);
  lines.push(`  ${decision.reason}`);
  if (decision.start) lines.push(`  start: ${decision.start.reason}`);
  return lines.join('\n');
}

/** `trellis route <eventId>`. */
export function routeCommand(): Command {
  return new Command('route')
    .description('route a stored event through the intent router (an event routes once)')
    .argument('<eventId>', 'event id (GET /api/events)')
    .option('--json', 'print JSON')
    .action(async (eventId: string, options: { json?: boolean }) => {
      const reply = await apiClient().request<RouteReply>('POST', `/events/${encodeURIComponent(eventId)}/route`);
      if (options.json) return printJson(reply);
      console.log(describeRouting(reply));
    });
}
