// Routes account and schema DDL, SHOW/DESCRIBE, stage and task statements to their handlers.
import { Cursor } from './cursor.js';
import {
  alterDatabase, alterSchema, alterTable, alterView, comment, createDatabase, createSchema, createTable, createView,
  dropContainerOrTable, truncate, undrop,
} from './ddl.js';
import { unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { grantOrRevoke } from './grants.js';
import {
  alterAccount, alterIntegration, alterNetworkPolicy, alterResourceMonitor, alterRole, alterUser, createIntegration,
  createNetworkPolicy, createResourceMonitor, createRole, createUser, dropAccountObject, dropRole, dropUser,
} from './account.js';
import { call, createProcedure, createSequence, dropProcedureOrSequence } from './procedures.js';
import { describe, show } from './show.js';
import { copy } from './copy.js';
import { createFileFormat, createStage, dropStageOrFormat, list, remove } from './stages.js';
import { alterStream, createStream, dropStream } from './streams.js';
import { alterAlert, alterTask, createAlert, createTask, dropTaskOrAlert, execute } from './tasks.js';
import { dropWarehouse } from './warehouses.js';

/** Modifiers between CREATE and the object kind. */
interface CreateModifiers {
  orReplace: boolean;
  transient: boolean;
  temporary: boolean;
  secure: boolean;
  materialized: boolean;
  recursive: boolean;
}

function createModifiers(cursor: Cursor): CreateModifiers {
  const modifiers: CreateModifiers = { orReplace: false, transient: false, temporary: false, secure: false, materialized: false, recursive: false };
  cursor.expectWords('CREATE');
  modifiers.orReplace = cursor.acceptWords('OR', 'REPLACE');
  for (;;) {
    const word = cursor.acceptAnyWord('TRANSIENT', 'TEMPORARY', 'TEMP', 'LOCAL', 'GLOBAL', 'VOLATILE', 'SECURE', 'MATERIALIZED', 'RECURSIVE');
    if (!word) break;
    if (word === 'TRANSIENT') modifiers.transient = true;
    if (word === 'TEMPORARY' || word === 'TEMP' || word === 'VOLATILE') modifiers.temporary = true;
    if (word === 'SECURE') modifiers.secure = true;
    if (word === 'MATERIALIZED') modifiers.materialized = true;
    if (word === 'RECURSIVE') modifiers.recursive = true;
  }
  return modifiers;
}

type Route<M = void> = (x: Execution, cursor: Cursor, m: M) => Promise<Outcome>;

/** Reads `[NOTIFICATION | STORAGE | API | SECURITY] INTEGRATION`, returning the category. */
function integrationWords(cursor: Cursor, fallback = 'NOTIFICATION'): string {
  const category = cursor.acceptAnyWord('NOTIFICATION', 'STORAGE', 'API', 'SECURITY', 'EXTERNAL') ?? fallback;
  cursor.acceptWords('ACCESS');
  cursor.expectWords('INTEGRATION');
  return category;
}

/** CREATE handlers by object kind; the kind's words are already read (MATERIALIZED among the modifiers). */
const CREATE: Record<string, Route<CreateModifiers>> = {
  DATABASE: (x, c, m) => createDatabase(x, c, m.orReplace, m.transient),
  SCHEMA: (x, c, m) => createSchema(x, c, m.orReplace, m.transient),
  TABLE: (x, c, m) => createTable(x, c, m.orReplace, m.temporary ? 'TEMPORARY' : m.transient ? 'TRANSIENT' : 'PERMANENT'),
  VIEW: (x, c, m) => createView(x, c, m.orReplace, m.secure, m.materialized, m.recursive),
  'MATERIALIZED VIEW': (x, c, m) => createView(x, c, m.orReplace, m.secure, m.materialized, m.recursive),
  ROLE: (x, c, m) => createRole(x, c, m.orReplace),
  USER: (x, c, m) => createUser(x, c, m.orReplace),
  'RESOURCE MONITOR': (x, c, m) => createResourceMonitor(x, c, m.orReplace),
  'NETWORK POLICY': (x, c, m) => createNetworkPolicy(x, c, m.orReplace),
  INTEGRATION: (x, c, m) => createIntegration(x, c, m.orReplace, integrationWords(c)),
  'FILE FORMAT': (x, c, m) => createFileFormat(x, c, m.orReplace),
  STAGE: (x, c, m) => createStage(x, c, m.orReplace, m.temporary),
  STREAM: (x, c, m) => createStream(x, c, m.orReplace),
  TASK: (x, c, m) => createTask(x, c, m.orReplace),
  ALERT: (x, c, m) => createAlert(x, c, m.orReplace),
  SEQUENCE: (x, c, m) => createSequence(x, c, m.orReplace),
  PROCEDURE: (x, c, m) => createProcedure(x, c, m.orReplace),
};

/** DROP handlers by object kind; the kind's words are already read. */
const DROP: Record<string, Route> = {
  DATABASE: (x, c) => dropContainerOrTable(x, c, 'DATABASE'),
  SCHEMA: (x, c) => dropContainerOrTable(x, c, 'SCHEMA'),
  TABLE: (x, c) => dropContainerOrTable(x, c, 'TABLE'),
  VIEW: (x, c) => dropContainerOrTable(x, c, 'VIEW'),
  'MATERIALIZED VIEW': (x, c) => dropContainerOrTable(x, c, 'MATERIALIZED VIEW'),
  WAREHOUSE: dropWarehouse,
  ROLE: dropRole,
  USER: dropUser,
  'RESOURCE MONITOR': (x, c) => dropAccountObject(x, c, 'RESOURCE MONITOR'),
  'NETWORK POLICY': (x, c) => dropAccountObject(x, c, 'NETWORK POLICY'),
  INTEGRATION: (x, c) => (integrationWords(c), dropAccountObject(x, c, 'INTEGRATION')),
  'FILE FORMAT': (x, c) => dropStageOrFormat(x, c, 'FILE_FORMAT'),
  STAGE: (x, c) => dropStageOrFormat(x, c, 'STAGE'),
  STREAM: dropStream,
  TASK: (x, c) => dropTaskOrAlert(x, c, 'TASK'),
  ALERT: (x, c) => dropTaskOrAlert(x, c, 'ALERT'),
  SEQUENCE: (x, c) => dropProcedureOrSequence(x, c, 'SEQUENCE'),
  PROCEDURE: (x, c) => dropProcedureOrSequence(x, c, 'PROCEDURE'),
};

/** ALTER handlers by object kind; the kind's words are already read. */
const ALTER: Record<string, Route> = {
  DATABASE: alterDatabase,
  SCHEMA: alterSchema,
  TABLE: alterTable,
  VIEW: alterView,
  'MATERIALIZED VIEW': alterView,
  ROLE: alterRole,
  USER: alterUser,
  'RESOURCE MONITOR': alterResourceMonitor,
  'NETWORK POLICY': alterNetworkPolicy,
  INTEGRATION: (x, c) => (integrationWords(c), alterIntegration(x, c)),
  STREAM: alterStream,
  TASK: alterTask,
  ALERT: alterAlert,
};

/** Reads the words naming the object kind, except for integrations, whose routes read their own category. */
function kindWords(cursor: Cursor, object: string): string {
  const kind = object === 'NOTIFICATION INTEGRATION' ? 'INTEGRATION' : object;
  if (kind !== 'INTEGRATION') cursor.expectWords(...kind.split(' '));
  return kind;
}

/** Statements whose handler takes the whole statement from its first word. */
const WHOLE: Record<string, Route> = {
  undrop: undrop,
  truncate: truncate,
  comment: comment,
  grant: grantOrRevoke,
  revoke: grantOrRevoke,
  show: show,
  describe: describe,
  list: list,
  remove: remove,
  copy: copy,
  call: call,
  execute: execute,
};

/** Runs a statement that is not a query, DML, USE, SET or transaction control. */
export async function dispatchDdl(x: Execution): Promise<Outcome> {
  const cursor = new Cursor(x.sql);
  const { verb, object } = x.statementClass;
  const has = (table: Record<string, unknown>, key: string): boolean => Object.hasOwn(table, key);
  if (verb === 'create') {
    const m = createModifiers(cursor);
    if (!has(CREATE, object) && object !== 'NOTIFICATION INTEGRATION') throw unsupported(`CREATE ${object || 'this object'}`);
    const kind = object === 'MATERIALIZED VIEW' ? (cursor.expectWords('VIEW'), object) : kindWords(cursor, object);
    return CREATE[kind]!(x, cursor, m);
  }
  if (verb === 'drop' || verb === 'alter') {
    const routes = verb === 'drop' ? DROP : ALTER;
    cursor.expectWords(verb.toUpperCase());
    if (verb === 'alter' && object === 'ACCOUNT') {
      cursor.index = 0;
      return alterAccount(x, cursor);
    }
    if (!has(routes, object) && object !== 'NOTIFICATION INTEGRATION') throw unsupported(`${verb.toUpperCase()} ${object || 'this object'}`);
    return routes[kindWords(cursor, object)]!(x, cursor);
  }
  if (has(WHOLE, verb)) return WHOLE[verb]!(x, cursor);
  throw unsupported(verb.toUpperCase());
}
