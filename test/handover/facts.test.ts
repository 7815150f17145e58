// What the handover works out from the records: standings, problems met and how each was resolved,
// open items, the training log and the masked variables. Pure: no files, no processes.
import { describe, expect, it } from 'vitest';
import { handoverFacts, rolesOf, type Incident } from '../../src/handover/facts.js';
import { fixtureInput } from '../helpers/handover.js';

const facts = handoverFacts(fixtureInput());
const incident = <K extends Incident['kind']>(kind: K) => facts.incidents.filter((i): i is Extract<Incident, { kind: K }> => i.kind === kind);

describe('runbook standings in the environment', () => {
  it('judges each runbook by its latest run that was not abandoned, and lists go-live runbooks never run', () => {
    expect(facts.standings.map((s) => [s.id, s.standing, s.runs.length])).toEqual([
      ['01-setup-warehouse', 'done', 1],
      ['02-schedule-jobs', 'done', 2],
      ['03-initial-load', 'done', 1],
      ['04-watch-loads', 'in progress', 1],
      ['05-fallback-load', 'done', 1],
      ['08-security-review', 'never run', 0],
    ]);
  });

  it('keeps dry runs, other environments and training runbooks out of the environment\'s runs', () => {
    expect(facts.runs.every((run) => run.environment.name === 'prod' && !run.practice)).toBe(true);
    expect(facts.runs.map((run) => run.runbook.id)).not.toContain('07-walkthrough');
  });

  it('names everyone who started, resumed or confirmed something, but not --yes', () => {
    expect(facts.operators).toEqual(['ana', 'bob', 'carol', 'dave']);
  });
});

describe('problems and how they were resolved', () => {
  it('pairs a failed attempt with the attempt that succeeded later', () => {
    const [retried, ...more] = incident('retried');
    expect(more).toEqual([]);
    expect(retried!.step.id).toBe('create-the-warehouse');
    expect(retried!.failures.map((a) => a.n)).toEqual([1]);
    expect(retried!.success.n).toBe(2);
  });

  it('reports an unknown outcome with the decision taken, not as a retry', () => {
    const [unknown] = incident('unknown-outcome');
    expect(unknown!.decision).toMatchObject({ by: 'carol', answer: 'rerun' });
    expect(unknown!.action?.status).toBe('succeeded');
  });

  it('links a failure recovered by a fallback run to that run', () => {
    const [fallback] = incident('fallback');
    expect(fallback!.fallback?.runbook.id).toBe('05-fallback-load');
    expect(fallback!.fallback?.status).toBe('done');
  });

  it('says which later run finished what an abandoned run left failed', () => {
    const [later] = incident('resolved-later');
    expect(later!.run.status).toBe('abandoned');
    expect(later!.step?.id).toBe('release-the-box');
    expect(later!.later.operator).toBe('bob');
  });

  it('keeps skips made by hand with their reason, and leaves watch polls alone', () => {
    expect(incident('skipped').map((i) => i.skip.reason)).toEqual(["The source team's own check listed the landing files at 20:45."]);
    expect(facts.incidents.some((i) => i.run.runbook.id === '04-watch-loads')).toBe(false);
  });

  it('records the lock taken over and the guard questions not asked', () => {
    expect(incident('event').map((i) => i.entry.kind)).toEqual(['lock-taken-over']);
    expect(incident('override').map((i) => i.override.by)).toEqual(['ana']);
  });
});

describe('open items', () => {
  it('lists the unfinished runbook, the one never run, the skipped step and the checks nobody confirmed', () => {
    const items = facts.openItems.map((item) => {
      switch (item.kind) {
        case 'unfinished':
          return `unfinished ${item.standing.id}`;
        case 'never-run':
          return `never run ${item.standing.id}`;
        case 'step':
          return `step ${item.step.id} ${item.step.status}`;
        case 'check':
          return `check ${item.check.id} ${item.check.status}${item.check.via ? ` ${item.check.via}` : ''}`;
      }
    });
    expect(items.sort()).toEqual([
      'check compare-the-counts/check-1 confirmed yes-flag',
      'check watch-the-rows-arrive/check-1 pending',
      'never run 08-security-review',
      'step check-the-landing-files skipped',
      'unfinished 04-watch-loads',
    ]);
  });
});

describe('the training log', () => {
  it('holds dry runs, sandbox drills, walkthroughs and rehearsals elsewhere, each with where it happened', () => {
    expect(facts.practice.map((p) => [p.run.operator, p.run.runbook.id, p.kind, p.where])).toEqual([
      ['ana', '01-setup-warehouse', 'rehearsal', 'staging'],
      ['erin', '06-restore-rows', 'drill', 'sandbox'],
      ['erin', '07-walkthrough', 'walkthrough', 'sandbox'],
      ['frank', '03-initial-load', 'dry run', 'prod'],
      ['frank', '05-fallback-load', 'drill', 'sandbox'],
    ]);
  });
});

describe('runbook roles', () => {
  it('reads go-live, monitoring, recovery, maintenance and training from the tags', () => {
    const entry = (tags: string[]) => ({ id: 'x', title: 'x', path: 'x.md', tags, steps: [], secretVariables: [] });
    expect([...rolesOf(entry(['go-live', 'monitoring']), true)].sort()).toEqual(['monitoring', 'procedure']);
    expect([...rolesOf(entry(['incident']), true)]).toEqual(['recovery']);
    expect([...rolesOf(entry(['optimisation']), true)]).toEqual(['maintenance']);
    // A folder that tags nothing go-live: every runbook that is not recovery, maintenance or training is part of the procedure.
    expect([...rolesOf(entry([]), false)]).toEqual(['procedure']);
    expect([...rolesOf(entry(['training', 'recovery']), false)].sort()).toEqual(['recovery', 'training']);
  });

  it('lists every secret variable declared or recorded, with its runbooks', () => {
    expect([...facts.masked].map(([name, runbooks]) => [name, [...runbooks]])).toEqual([['SVC_PASSWORD', ['01-setup-warehouse']]]);
  });
});
