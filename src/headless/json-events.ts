// `baton exec --json`: one JSON object per line per event, for other tools. Events that carry the
// whole record or a nested run's state are slimmed to what a tool needs; the record itself is one
// `baton show --json` away.
import type { RunEvent } from '../engine/events.js';
import type { RunState } from '../engine/state.js';

/** The JSON line for an event (without the line break), or undefined for events tools do not need. */
export function jsonEvent(event: RunEvent, state: RunState): string | undefined {
  const runId = state.record?.id;
  switch (event.type) {
    case 'run-opened': {
      const r = event.record;
      return JSON.stringify({
        type: 'run-opened',
        runId: r.id,
        runbook: r.runbook,
        environment: r.environment,
        operator: state.operator,
        practice: r.practice,
        resumed: event.resumed,
        steps: r.steps.map((s) => ({ id: s.id, title: s.title, status: s.status })),
        cursor: event.cursor,
      });
    }
    case 'variables-set':
    case 'child-changed':
      if (event.type === 'child-changed') {
        const inner = jsonEvent(event.event, event.child);
        return inner === undefined ? undefined : `{"type":"fallback-event","runId":${JSON.stringify(runId ?? null)},"event":${inner}}`;
      }
      return undefined;
    case 'run-ended':
      return JSON.stringify({
        ...event,
        runId,
        steps: state.record?.steps.map((s) => ({ id: s.id, status: s.status, ...(s.failure ? { failure: s.failure } : {}) })),
      });
    default:
      return JSON.stringify(runId ? { ...event, runId } : event);
  }
}
