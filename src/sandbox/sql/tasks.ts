// Tasks and alerts. Tasks are created suspended; RESUME/SUSPEND change their state; EXECUTE TASK
// runs a task graph now: the root's WHEN condition, its SQL as the task's owner, then every started
// child whose predecessors all succeeded — each run recorded in TASK_HISTORY. Scheduled runs
// happen while the sandbox is up (see runDueTasks). Alerts check their condition and run their
// action on EXECUTE ALERT or on schedule, recorded in ALERT_HISTORY.
import { randomUUID } from 'node:crypto';
import type { WireType } from '../engine-api.js';
import { SandboxError } from '../engine-api.js';
import type { ObjectEntry, TaskDetails } from './catalog.js';
import type { Cursor } from './cursor.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound, syntaxError } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { applyFutureGrants } from './grants.js';
import { locate } from './resolve.js';
import { splitStatements } from './statements.js';
import { isOp, isWord, type Token } from './tokens.js';

/** SHOW TASKS / DESCRIBE TASK columns. */
export const TASK_COLUMNS: [string, WireType][] = [
  ['created_on', 'timestamp_ltz'], ['name', 'text'], ['id', 'text'], ['database_name', 'text'], ['schema_name', 'text'],
  ['owner', 'text'], ['comment', 'text'], ['warehouse', 'text'], ['schedule', 'text'], ['predecessors', 'text'], ['state', 'text'],
  ['definition', 'text'], ['condition', 'text'], ['allow_overlapping_execution', 'text'], ['error_integration', 'text'],
  ['last_committed_on', 'timestamp_ltz'], ['last_suspended_on', 'timestamp_ltz'], ['owner_role_type', 'text'], ['config', 'text'],
  ['budget', 'text'], ['task_relations', 'text'], ['last_suspended_reason', 'text'],
];

/** A task as a SHOW TASKS row. */
export function taskRow(x: Execution, object: ObjectEntry): Record<string, unknown> {
  const task = object.task!;
  const [database, schema] = x.catalog.qualifiedName(object);
  const predecessors = task.predecessors.map((id) => x.catalog.objectById(id)).filter(Boolean).map((t) => x.catalog.qualifiedName(t!).join('.'));
  return {
    created_on: object.createdOn, name: object.name, id: `01${String(object.id).padStart(14, '0')}`, database_name: database, schema_name: schema,
    owner: object.owner, comment: object.comment ?? '', warehouse: task.warehouse, schedule: task.schedule,
    predecessors: JSON.stringify(predecessors), state: task.state, definition: task.definition, condition: task.condition,
    allow_overlapping_execution: String(task.allowOverlapping), error_integration: task.errorIntegration ?? 'null',
    last_committed_on: task.lastCommittedOn, last_suspended_on: task.lastSuspendedOn, owner_role_type: 'ROLE', config: task.config,
    budget: null, task_relations: JSON.stringify({ Predecessors: predecessors }), last_suspended_reason: task.lastSuspendedOn ? 'USER_SUSPENDED' : null,
  };
}

/** Reads the source text from the current token up to a stop word at depth 0 (not consuming it). */
function textUntil(x: Execution, cursor: Cursor, stop: (token: Token) => boolean): string {
  const start = cursor.peek();
  let depth = 0;
  let last: Token | undefined;
  while (!cursor.atEnd()) {
    const token = cursor.peek();
    if (depth === 0 && stop(token)) break;
    if (isOp(token, '(')) depth++;
    if (isOp(token, ')')) depth--;
    last = cursor.next();
  }
  if (!last) cursor.fail();
  return x.sql.slice(start.start, last.start + last.text.length).trim();
}

/** Tasks of the same schema named in AFTER. */
function predecessorIds(x: Execution, cursor: Cursor): number[] {
  const ids: number[] = [];
  do {
    const name = cursor.objectName();
    const located = locate(x, name, ['TASK'], x.scope());
    if (!located.object) throw notFound('Object', located.written);
    ids.push(located.object.id);
  } while (cursor.acceptOp(','));
  return ids;
}

/** CREATE TASK. */
export async function createTask(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['TASK'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE TASK')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  const task: TaskDetails = {
    warehouse: null, schedule: null, predecessors: [], condition: null, definition: '', state: 'suspended', allowOverlapping: false,
    suspendAfterFailures: 10, errorIntegration: null, config: null, lastCommittedOn: null, lastSuspendedOn: null, consecutiveFailures: 0,
  };
  let comment: string | null = null;
  for (;;) {
    if (cursor.isWords('AS')) break;
    if (cursor.acceptWords('AFTER')) {
      task.predecessors = predecessorIds(x, cursor);
      continue;
    }
    if (cursor.acceptWords('WHEN')) {
      task.condition = textUntil(x, cursor, (t) => isWord(t, 'AS'));
      continue;
    }
    const key = cursor.next();
    if (key.kind !== 'word' || !cursor.acceptOp('=')) cursor.fail(key);
    const value = cursor.value();
    switch (key.value) {
      case 'WAREHOUSE':
        task.warehouse = String(value).toUpperCase();
        break;
      case 'SCHEDULE':
        task.schedule = String(value);
        break;
      case 'ALLOW_OVERLAPPING_EXECUTION':
        task.allowOverlapping = value === true;
        break;
      case 'SUSPEND_TASK_AFTER_NUM_FAILURES':
        task.suspendAfterFailures = Number(value);
        break;
      case 'ERROR_INTEGRATION':
        task.errorIntegration = String(value).toUpperCase();
        break;
      case 'CONFIG':
        task.config = String(value);
        break;
      case 'COMMENT':
        comment = String(value);
        break;
      default:
        // USER_TASK_TIMEOUT_MS, TASK_AUTO_RETRY_ATTEMPTS, session parameters …: accepted.
        break;
    }
  }
  cursor.expectWords('AS');
  task.definition = cursor.rest();
  if (!task.definition) cursor.fail();
  if (task.schedule && task.predecessors.length > 0) throw compilationError('A task with AFTER cannot have a SCHEDULE.');
  if (task.warehouse && !x.catalog.warehouse(task.warehouse)) throw notFound('Warehouse', task.warehouse);
  return x.ddl(async () => {
    if (located.object) located.object.droppedOn = new Date().toISOString();
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'TASK', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment, task,
    };
    x.catalog.data.objects.push(object);
    if (located.object) {
      for (const other of x.catalog.data.objects) {
        if (other.task) other.task.predecessors = other.task.predecessors.map((id) => (id === located.object!.id ? object.id : id));
      }
    }
    applyFutureGrants(x, object, located);
    return x.status(`Task ${located.name} successfully created.`);
  });
}

function taskByName(x: Execution, name: Parameters<typeof locate>[1]): ObjectEntry {
  const located = locate(x, name, ['TASK'], x.scope());
  if (!located.object?.task || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
  return located.object;
}

function canOperate(x: Execution, task: ObjectEntry): boolean {
  return x.access.has(x.roles(), { type: 'OBJECT', id: task.id }, 'OPERATE');
}

/** The root of a task's graph. */
function rootOf(x: Execution, task: ObjectEntry): ObjectEntry {
  let current = task;
  const seen = new Set<number>();
  while (current.task!.predecessors.length > 0 && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = x.catalog.objectById(current.task!.predecessors[0]!);
    if (!parent?.task) break;
    current = parent;
  }
  return current;
}

/** Live tasks that run after this one. */
function childrenOf(x: Execution, task: ObjectEntry): ObjectEntry[] {
  return x.catalog.data.objects.filter((o) => o.task && !o.droppedOn && o.task.predecessors.includes(task.id));
}

/** ALTER TASK. */
export async function alterTask(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  let object: ObjectEntry;
  try {
    object = taskByName(x, name);
  } catch (error) {
    if (ifExists) return x.status('Statement executed successfully.');
    throw error;
  }
  const task = object.task!;
  const owner = x.roles().has(object.owner);
  return x.ddl(async () => {
    if (cursor.acceptAnyWord('RESUME', 'SUSPEND')) {
      const word = cursor.tokens[cursor.index - 1]!.value;
      cursor.expectEnd();
      if (!canOperate(x, object)) throw insufficientPrivileges('task', object.name);
      if (word === 'RESUME') {
        if (!x.access.hasAccount(x.roles(), 'EXECUTE TASK')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
        if (!task.schedule && task.predecessors.length === 0) {
          throw new SandboxError('091091', '22000', `Task ${object.name} cannot be resumed: it has neither a SCHEDULE nor an AFTER predecessor; use EXECUTE TASK to run it once.`);
        }
        task.state = 'started';
        task.lastCommittedOn = new Date().toISOString();
        task.nextRun = null;
      } else {
        task.state = 'suspended';
        task.lastSuspendedOn = new Date().toISOString();
      }
      return x.status('Statement executed successfully.');
    }
    if (!owner) throw insufficientPrivileges('task', object.name);
    const rootStarted = rootOf(x, object).task!.state === 'started' && rootOf(x, object) !== object;
    const needsSuspendedRoot = (): void => {
      if (rootStarted || task.state === 'started') {
        throw new SandboxError('091083', '22000', `Unable to update graph with root task ${rootOf(x, object).name} since that root task is not suspended.`);
      }
    };
    if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      for (const [key, value] of Object.entries(props)) {
        if (key === 'WAREHOUSE') task.warehouse = String(value).toUpperCase();
        else if (key === 'SCHEDULE') {
          needsSuspendedRoot();
          task.schedule = String(value);
        } else if (key === 'COMMENT') object.comment = String(value);
        else if (key === 'ERROR_INTEGRATION') task.errorIntegration = String(value).toUpperCase();
        else if (key === 'SUSPEND_TASK_AFTER_NUM_FAILURES') task.suspendAfterFailures = Number(value);
        else if (key === 'ALLOW_OVERLAPPING_EXECUTION') task.allowOverlapping = value === true;
        else if (key === 'CONFIG') task.config = String(value);
      }
    } else if (cursor.acceptWords('UNSET')) {
      const key = cursor.namePart().name;
      cursor.expectEnd();
      if (key === 'SCHEDULE') task.schedule = null;
      if (key === 'WAREHOUSE') task.warehouse = null;
      if (key === 'COMMENT') object.comment = null;
    } else if (cursor.acceptWords('ADD', 'AFTER')) {
      needsSuspendedRoot();
      const ids = predecessorIds(x, cursor);
      cursor.expectEnd();
      task.predecessors = [...new Set([...task.predecessors, ...ids])];
      task.schedule = null;
    } else if (cursor.acceptWords('REMOVE', 'AFTER')) {
      needsSuspendedRoot();
      const ids = predecessorIds(x, cursor);
      cursor.expectEnd();
      task.predecessors = task.predecessors.filter((id) => !ids.includes(id));
    } else if (cursor.acceptWords('MODIFY', 'AS')) {
      needsSuspendedRoot();
      task.definition = cursor.rest();
    } else if (cursor.acceptWords('MODIFY', 'WHEN')) {
      needsSuspendedRoot();
      task.condition = cursor.rest();
    } else if (cursor.acceptWords('REMOVE', 'WHEN')) {
      cursor.expectEnd();
      task.condition = null;
    } else cursor.fail();
    return x.status('Statement executed successfully.');
  });
}

/** DROP TASK / DROP ALERT. */
export async function dropTaskOrAlert(x: Execution, cursor: Cursor, kind: 'TASK' | 'ALERT'): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  cursor.expectEnd();
  const located = locate(x, name, [kind], x.scope());
  if (!located.object || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) {
    if (ifExists) return x.status(`Drop statement executed successfully (${located.name} already dropped).`);
    throw notFound('Object', located.written);
  }
  if (!x.roles().has(located.object.owner)) throw insufficientPrivileges(kind.toLowerCase(), located.name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.objects.splice(data.objects.indexOf(located.object!), 1);
    for (const other of data.objects) if (other.task) other.task.predecessors = other.task.predecessors.filter((id) => id !== located.object!.id);
    return x.status(`${located.name} successfully dropped.`);
  });
}

/** Resumes a task and every task after it (SYSTEM$TASK_DEPENDENTS_ENABLE). */
export async function resumeTaskTree(x: Execution, name: string): Promise<void> {
  const token: Token = { kind: 'word', text: name, value: name, start: 0, line: 1, column: 0 };
  const { parseNameText } = await import('./cursor.js');
  const root = taskByName(x, { parts: parseNameText(name, token), token });
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const task = queue.shift()!;
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    if (!canOperate(x, task)) throw insufficientPrivileges('task', task.name);
    task.task!.state = 'started';
    task.task!.lastCommittedOn = new Date().toISOString();
    queue.push(...childrenOf(x, task));
  }
}

/** One task run's outcome. */
interface TaskRun {
  state: 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  returnValue?: string;
}

/** Runs a task (and then its started children) now; `scheduledFrom` says why. */
export async function runTaskGraph(x: Execution, root: ObjectEntry, scheduledFrom: 'EXECUTE_TASK' | 'SCHEDULE'): Promise<void> {
  const runId = Date.now();
  const outcomes = new Map<number, TaskRun>();
  const order: ObjectEntry[] = [root];
  for (let k = 0; k < order.length; k++) {
    for (const child of childrenOf(x, order[k]!)) if (!order.includes(child)) order.push(child);
  }
  for (const task of order) {
    if (task !== root) {
      if (task.task!.state !== 'started') continue;
      const predecessors = task.task!.predecessors.map((id) => outcomes.get(id));
      if (predecessors.some((p) => !p || p.state !== 'SUCCEEDED')) continue;
    }
    const predecessorValue = task.task!.predecessors.map((id) => outcomes.get(id)?.returnValue).find((v) => v !== undefined);
    outcomes.set(task.id, await runOneTask(x, task, root, runId, scheduledFrom, predecessorValue));
  }
}

async function runOneTask(x: Execution, object: ObjectEntry, root: ObjectEntry, runId: number, scheduledFrom: string, predecessorValue: string | undefined): Promise<TaskRun> {
  const task = object.task!;
  const [database, schema] = x.catalog.qualifiedName(object);
  const scheduled = new Date();
  const queryId = randomUUID();
  const nested = { role: object.owner, database, schema, warehouse: task.warehouse ?? x.session.warehouse, user: 'SYSTEM' };
  const saved = { taskName: x.taskName, predecessor: x.predecessorReturnValue, returnValue: x.returnValue };
  x.taskName = object.name;
  x.predecessorReturnValue = predecessorValue;
  x.returnValue = undefined;
  let run: TaskRun;
  let error: SandboxError | undefined;
  let started: Date | null = null;
  try {
    if (task.condition) {
      const answer = await x.engine.runNested(x, `SELECT ${task.condition}`, nested);
      if (answer.rows[0]?.[0] !== '1') {
        await recordTaskRun(x, object, root, { queryId: null, state: 'SKIPPED', scheduled, started: null, error: undefined, runId, scheduledFrom, returnValue: undefined });
        return { state: 'SKIPPED' };
      }
    }
    started = new Date();
    for (const [k, statement] of taskStatements(task.definition).entries()) {
      await x.engine.runNested(x, statement, { ...nested, queryId: k === 0 ? queryId : randomUUID() });
    }
    run = { state: 'SUCCEEDED', returnValue: x.returnValue };
    task.consecutiveFailures = 0;
  } catch (thrown) {
    error = thrown instanceof SandboxError ? thrown : new SandboxError('100090', '22000', String((thrown as Error).message ?? thrown));
    run = { state: x.signal.aborted ? 'CANCELLED' : 'FAILED' };
    task.consecutiveFailures += 1;
    if (task.suspendAfterFailures && task.consecutiveFailures >= task.suspendAfterFailures && task.state === 'started') {
      task.state = 'suspended';
      task.lastSuspendedOn = new Date().toISOString();
    }
  } finally {
    x.taskName = saved.taskName;
    x.predecessorReturnValue = saved.predecessor;
  }
  const returnValue = run.returnValue;
  x.returnValue = saved.returnValue;
  await recordTaskRun(x, object, root, { queryId, state: run.state, scheduled, started, error, runId, scheduledFrom, returnValue });
  return run;
}

/** A task body as statements: one statement, EXECUTE IMMEDIATE $$…$$, or a BEGIN … END block. */
export function taskStatements(definition: string): string[] {
  const trimmed = definition.trim().replace(/;\s*$/, '');
  const immediate = /^EXECUTE\s+IMMEDIATE\s+\$\$([\s\S]*)\$\$$/i.exec(trimmed);
  const body = immediate ? immediate[1]!.trim() : trimmed;
  const block = /^BEGIN\b([\s\S]*)\bEND$/i.exec(body.replace(/;\s*$/, ''));
  if (block && !/^BEGIN\s+(TRANSACTION|WORK)?\s*$/i.test(body)) return splitStatements(block[1]!);
  return immediate ? splitStatements(body) : [trimmed];
}

async function recordTaskRun(
  x: Execution,
  object: ObjectEntry,
  root: ObjectEntry,
  run: { queryId: string | null; state: string; scheduled: Date; started: Date | null; error: SandboxError | undefined; runId: number; scheduledFrom: string; returnValue: string | undefined },
): Promise<void> {
  const [database, schema] = x.catalog.qualifiedName(object);
  const task = object.task!;
  await x.engine.store.record(
    `INSERT INTO meta.task_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS TIMESTAMPTZ), CAST($11 AS TIMESTAMPTZ), NULL, now(), $12, 1, $13, $14, $15, 1)`,
    [
      run.queryId, object.name, database!, schema!, task.definition, task.condition, run.state, run.error ? String(Number(run.error.code)) : null,
      run.error?.message ?? null, run.scheduled.toISOString(), run.started?.toISOString() ?? null, `01${String(root.id).padStart(14, '0')}`,
      run.runId, run.returnValue ?? null, run.scheduledFrom,
    ],
  );
}

/** EXECUTE TASK name [RETRY LAST] / EXECUTE ALERT name. */
export async function execute(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('EXECUTE');
  const kind = cursor.expectAnyWord('TASK', 'ALERT');
  const name = cursor.objectName();
  const retry = kind === 'TASK' && cursor.acceptWords('RETRY', 'LAST');
  cursor.expectEnd();
  if (kind === 'ALERT') return executeAlert(x, name);
  const object = taskByName(x, name);
  if (!x.access.hasAccount(x.roles(), 'EXECUTE TASK')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
  if (!canOperate(x, object)) throw insufficientPrivileges('task', object.name);
  if (object.task!.predecessors.length > 0 && !retry) {
    throw new SandboxError('091090', '22000', `Cannot execute task , EXECUTE TASK can only be run on a root task; ${object.name} runs after ${object.task!.predecessors.map((id) => x.catalog.objectById(id)?.name).join(', ')}.`);
  }
  await x.commitOpen();
  await runTaskGraph(x, object, 'EXECUTE_TASK');
  await x.engine.store.saveCatalog(x.engine.store.admin, x.catalog.data);
  return x.status(`Task ${object.name} is scheduled to run immediately.`);
}

// -------------------------------------------------------------------------------------------------
// Alerts

/** CREATE ALERT name WAREHOUSE = w SCHEDULE = '…' IF (EXISTS (…)) THEN action. */
export async function createAlert(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['ALERT'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE ALERT')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  const props = cursor.properties('IF');
  cursor.expectWords('IF');
  const condition = cursor.group().trim();
  cursor.expectWords('THEN');
  const action = cursor.rest();
  if (!action) cursor.fail();
  if (!/^EXISTS\b/i.test(condition)) throw syntaxError(cursor.peek());
  return x.ddl(async () => {
    if (located.object) located.object.droppedOn = new Date().toISOString();
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'ALERT', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment: props.COMMENT === undefined ? null : String(props.COMMENT),
      alert: {
        warehouse: props.WAREHOUSE === undefined ? null : String(props.WAREHOUSE).toUpperCase(),
        schedule: props.SCHEDULE === undefined ? null : String(props.SCHEDULE), condition, action, state: 'suspended',
      },
    };
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`Alert ${located.name} successfully created.`);
  });
}

/** ALTER ALERT name RESUME | SUSPEND | SET … | MODIFY CONDITION EXISTS (…) | MODIFY ACTION …. */
export async function alterAlert(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  const located = locate(x, name, ['ALERT'], x.scope());
  if (!located.object?.alert) {
    if (ifExists) return x.status('Statement executed successfully.');
    throw notFound('Object', located.written);
  }
  const object = located.object;
  const alert = object.alert!;
  return x.ddl(async () => {
    if (cursor.acceptWords('RESUME') || cursor.acceptWords('SUSPEND')) {
      const word = cursor.tokens[cursor.index - 1]!.value;
      cursor.expectEnd();
      if (!x.access.has(x.roles(), { type: 'OBJECT', id: object.id }, 'OPERATE')) throw insufficientPrivileges('alert', object.name);
      alert.state = word === 'RESUME' ? 'started' : 'suspended';
      return x.status('Statement executed successfully.');
    }
    if (!x.roles().has(object.owner)) throw insufficientPrivileges('alert', object.name);
    if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      if ('WAREHOUSE' in props) alert.warehouse = String(props.WAREHOUSE).toUpperCase();
      if ('SCHEDULE' in props) alert.schedule = String(props.SCHEDULE);
      if ('COMMENT' in props) object.comment = String(props.COMMENT);
    } else if (cursor.acceptWords('MODIFY', 'CONDITION')) {
      alert.condition = cursor.rest();
    } else if (cursor.acceptWords('MODIFY', 'ACTION')) {
      alert.action = cursor.rest();
    } else cursor.fail();
    return x.status('Statement executed successfully.');
  });
}

async function executeAlert(x: Execution, name: Parameters<typeof locate>[1]): Promise<Outcome> {
  const located = locate(x, name, ['ALERT'], x.scope());
  if (!located.object?.alert || !x.access.hasAny(x.roles(), { type: 'OBJECT', id: located.object.id })) throw notFound('Object', located.written);
  if (!x.access.hasAccount(x.roles(), 'EXECUTE ALERT')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
  await x.commitOpen();
  await runAlert(x, located.object);
  return x.status('Statement executed successfully.');
}

/** Checks an alert's condition and runs its action if the condition holds; recorded in ALERT_HISTORY. */
export async function runAlert(x: Execution, object: ObjectEntry): Promise<string> {
  const alert = object.alert!;
  const [database, schema] = x.catalog.qualifiedName(object);
  const nested = { role: object.owner, database, schema, warehouse: alert.warehouse ?? x.session.warehouse, user: 'SYSTEM' };
  const scheduled = new Date();
  let state = 'CONDITION_FALSE';
  let error: SandboxError | undefined;
  const conditionId = randomUUID();
  try {
    const answer = await x.engine.runNested(x, `SELECT ${alert.condition}`, { ...nested, queryId: conditionId });
    if (answer.rows[0]?.[0] === '1') {
      state = 'TRIGGERED';
      try {
        for (const statement of taskStatements(alert.action)) await x.engine.runNested(x, statement, nested);
      } catch (thrown) {
        state = 'ACTION_FAILED';
        error = thrown as SandboxError;
      }
    }
  } catch (thrown) {
    state = 'CONDITION_FAILED';
    error = thrown as SandboxError;
  }
  await x.engine.store.record(
    'INSERT INTO meta.alert_history VALUES ($1, $2, $3, $4, $5, $6, CAST($7 AS TIMESTAMPTZ), now(), $8, $9, $10)',
    [object.name, database!, schema!, alert.condition, alert.action, state, scheduled.toISOString(), error ? String(Number(error.code)) : null, error?.message ?? null, conditionId],
  );
  return state;
}
