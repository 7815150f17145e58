// The handover fixtures: a runbooks folder and a state folder of run records describing a prod
// go-live, copied into a temp folder per test (listing writes the run index into the state folder).
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HandoverInput, Inventory } from '../../src/handover/input.js';
import type { Environment } from '../../src/config/environment.js';
import type { RunRecord } from '../../src/store/record.js';
import { clockIn } from '../../src/handover/times.js';
import { tempDir } from './context.js';

/** The fixtures folder. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/handover', import.meta.url));

/** The fixture runbooks and records copied into a fresh temp folder: `<dir>/runbooks`, `<dir>/state`. */
export function fixtureFolder(prefix = 'baton-handover-'): string {
  const dir = tempDir(prefix);
  cpSync(join(FIXTURES, 'runbooks'), join(dir, 'runbooks'), { recursive: true });
  cpSync(join(FIXTURES, 'state'), join(dir, 'state'), { recursive: true });
  return dir;
}

/** Every readable fixture record, oldest first. */
export function fixtureRecords(): RunRecord[] {
  const folder = join(FIXTURES, 'state', 'runs');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(folder, name), 'utf8')) as RunRecord];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** The fixture's live inventory, as read once from a sandbox and then given a few refusals. */
export function fixtureInventory(): Inventory {
  return JSON.parse(readFileSync(join(FIXTURES, 'inventory', 'inventory.json'), 'utf8')) as Inventory;
}

const PROD: Environment = { name: 'prod', description: 'Production.', protected: true, connection: 'fixtures_prod', accountUrl: 'https://app.snowflake.com/acme/prod', variables: { WH: 'LOAD_WH' } };
const SANDBOX: Environment = { name: 'sandbox', protected: false, sandbox: true, variables: {} };

/** A pure-render input over the fixture records, without reading any file but the records. */
export function fixtureInput(patch: Partial<HandoverInput> = {}): HandoverInput {
  return {
    environment: PROD,
    environments: [SANDBOX, PROD],
    generatedAt: new Date('2026-11-24T08:00:00Z'),
    generatedBy: 'lead',
    runs: fixtureRecords(),
    runbooks: [
      { id: '01-setup-warehouse', title: 'Set up the load warehouse', path: 'runbooks/01-setup-warehouse.md', tags: ['go-live'], steps: ['Create the warehouse', 'Create the service user'], secretVariables: ['SVC_PASSWORD'] },
      { id: '02-schedule-jobs', title: 'Schedule the load jobs', path: 'runbooks/02-schedule-jobs.md', tags: ['go-live'], steps: ['Define the box', 'Release the box'], secretVariables: [] },
      { id: '03-initial-load', title: 'Run the initial load', path: 'runbooks/03-initial-load.md', tags: ['go-live'], steps: [], secretVariables: [] },
      { id: '04-watch-loads', title: 'Watch the nightly loads', path: 'runbooks/04-watch-loads.md', tags: ['go-live', 'monitoring'], steps: ['Watch the box', 'Watch the rows arrive'], secretVariables: [] },
      { id: '05-fallback-load', title: 'Fallback: load the orders by hand', path: 'runbooks/05-fallback-load.md', summary: 'Use when the load failed.', tags: ['recovery', 'incident'], steps: [], secretVariables: [] },
      { id: '06-restore-rows', title: 'Restore deleted rows', path: 'runbooks/06-restore-rows.md', summary: 'Use when rows vanished.', tags: ['recovery', 'incident'], steps: [], secretVariables: [] },
      { id: '07-walkthrough', title: 'Training walkthrough', path: 'runbooks/07-walkthrough.md', tags: ['training', 'recovery'], environments: ['sandbox'], steps: [], secretVariables: [] },
      { id: '08-security-review', title: 'Review access before go-live', path: 'runbooks/08-security-review.md', tags: ['go-live'], steps: [], secretVariables: [] },
    ],
    problems: [],
    places: { stateDir: 'state', runbooksDir: 'runbooks' },
    secrets: [],
    clock: clockIn('UTC'),
    ...patch,
  };
}
