import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironments, parseEnvironments } from '../../src/config/environments.js';
import { formatProblem } from '../../src/runbook/problems.js';

const errors = (source: string) =>
  parseEnvironments(source, 'baton.yaml').problems.filter((p) => p.severity === 'error').map(formatProblem);

describe('baton.yaml', () => {
  it('reads environments with their settings and the default', () => {
    const config = parseEnvironments(
      [
        'default: sandbox',
        'environments:',
        '  sandbox:',
        '    sandbox: true',
        '    variables: { WH_SIZE: XSMALL, RETENTION: 1 }',
        '  prod:',
        '    description: Production account',
        '    protected: true',
        '    connection: prod_etl',
        '    accountUrl: https://app.snowflake.com/acme/prod',
        '    autosys: { instance: PRD, env: { AUTOSYS_TIMEOUT: 30 } }',
        '    controlm: { endpoint: "https://em.example.com:8443/automation-api", tokenVariable: CTM_TOKEN }',
      ].join('\n'),
      'baton.yaml',
    );
    expect(config.problems).toEqual([]);
    expect(config.default).toBe('sandbox');
    const [sandbox, prod] = config.environments;
    expect(sandbox).toMatchObject({ name: 'sandbox', sandbox: true, connection: 'sandbox', protected: false, variables: { WH_SIZE: 'XSMALL', RETENTION: '1' } });
    expect(prod).toMatchObject({
      name: 'prod',
      protected: true,
      connection: 'prod_etl',
      autosys: { instance: 'PRD', env: { AUTOSYS_TIMEOUT: '30' } },
      controlm: { tokenVariable: 'CTM_TOKEN' },
    });
  });

  it('names the line and suggests the right key for a misspelt setting', () => {
    expect(errors('environments:\n  prod:\n    protectd: true\n')).toEqual([
      expect.stringMatching(/^baton\.yaml:3:5: error: unknown setting "protectd" in environments\.prod \(did you mean protected\?\)/),
    ]);
  });

  it('points at a value of the wrong type', () => {
    expect(errors('environments:\n  prod:\n    protected: "yes"\n')).toEqual(['baton.yaml:3:16: error: environments.prod.protected: protected must be true or false']);
  });

  it('says in English what was expected where baton.yaml has no words of its own for it', () => {
    expect(errors('environments:\n  prod: 5\n')).toEqual(['baton.yaml:2:9: error: environments.prod: Invalid input: expected object, received number']);
    expect(errors('environments:\n  prod:\n    autosys: 7\n')).toEqual(['baton.yaml:3:14: error: environments.prod.autosys: Invalid input: expected object, received number']);
    expect(errors('environments:\n  prod:\n    controlm:\n      endpoint: not a url\n')).toEqual([
      'baton.yaml:4:17: error: environments.prod.controlm.endpoint: controlm.endpoint must be a URL such as https://em.example.com:8443/automation-api',
    ]);
  });

  it('refuses a default that is not declared, with a hint', () => {
    expect(errors('default: prd\nenvironments:\n  prod: {}\n  sandbox: { sandbox: true }\n')).toEqual([
      'baton.yaml:1:10: error: default "prd" is not a declared environment (did you mean prod?); declared: prod, sandbox',
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [problem] = errors('environments:\n  prod: { protected: true\n');
    expect(problem).toMatch(/^baton\.yaml:\d+:\d+: error: YAML: /);
  });

  it('warns about a sandbox marked protected but keeps the file usable', () => {
    const config = parseEnvironments('environments:\n  sandbox: { sandbox: true, protected: true }\n', 'baton.yaml');
    expect(config.problems.map((p) => p.severity)).toEqual(['warning']);
    expect(config.environments[0]!.protected).toBe(true);
  });

  it('falls back to the built-in sandbox when the folder has no baton.yaml', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'baton-env-'));
    const config = await loadEnvironments(folder);
    expect(config.default).toBe('sandbox');
    expect(config.environments.map((e) => e.name)).toEqual(['sandbox']);
    expect(config.file).toBeUndefined();
  });

  it('reads the file from the runbooks folder and keeps its path in problems', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'baton-env-'));
    await writeFile(path.join(folder, 'baton.yaml'), 'environments:\n  "bad name": {}\n');
    const config = await loadEnvironments(folder);
    expect(config.problems.map(formatProblem)).toEqual([`${path.join(folder, 'baton.yaml')}:2:3: error: environment name "bad name": start with a letter; letters, digits, - and _ only`]);
  });

  it('validates the bundled runbooks/baton.yaml', async () => {
    const config = await loadEnvironments(path.resolve('runbooks'));
    expect(config.problems).toEqual([]);
    expect(config.default).toBe('sandbox');
    expect(config.environments.find((e) => e.name === 'prod')).toMatchObject({ protected: true });
    expect(config.environments.find((e) => e.name === 'staging')).toBeDefined();
  });
});
