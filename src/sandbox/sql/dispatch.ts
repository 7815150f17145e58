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
import { copyInto, createFileFormat, createStage, dropStageOrFormat, list, remove } from './stages.js';
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

/** Runs a statement that is not a query, DML, USE, SET or transaction control. */
export async function dispatchDdl(x: Execution): Promise<Outcome> {
  const cursor = new Cursor(x.sql);
  const { verb, object } = x.statementClass;
  switch (verb) {
    case 'create': {
      const m = createModifiers(cursor);
      switch (object) {
        case 'DATABASE':
          cursor.expectWords('DATABASE');
          return createDatabase(x, cursor, m.orReplace, m.transient);
        case 'SCHEMA':
          cursor.expectWords('SCHEMA');
          return createSchema(x, cursor, m.orReplace, m.transient);
        case 'TABLE':
          cursor.expectWords('TABLE');
          return createTable(x, cursor, m.orReplace, m.temporary ? 'TEMPORARY' : m.transient ? 'TRANSIENT' : 'PERMANENT');
        case 'VIEW':
        case 'MATERIALIZED VIEW':
          cursor.expectWords('VIEW');
          return createView(x, cursor, m.orReplace, m.secure, m.materialized, m.recursive);
        case 'ROLE':
          cursor.expectWords('ROLE');
          return createRole(x, cursor, m.orReplace);
        case 'USER':
          cursor.expectWords('USER');
          return createUser(x, cursor, m.orReplace);
        case 'RESOURCE MONITOR':
          cursor.expectWords('RESOURCE', 'MONITOR');
          return createResourceMonitor(x, cursor, m.orReplace);
        case 'NETWORK POLICY':
          cursor.expectWords('NETWORK', 'POLICY');
          return createNetworkPolicy(x, cursor, m.orReplace);
        case 'INTEGRATION':
        case 'NOTIFICATION INTEGRATION': {
          const category = cursor.acceptAnyWord('NOTIFICATION', 'STORAGE', 'API', 'SECURITY', 'EXTERNAL') ?? 'NOTIFICATION';
          cursor.acceptWords('ACCESS');
          cursor.expectWords('INTEGRATION');
          return createIntegration(x, cursor, m.orReplace, category);
        }
        case 'FILE FORMAT':
          cursor.expectWords('FILE', 'FORMAT');
          return createFileFormat(x, cursor, m.orReplace);
        case 'STAGE':
          cursor.expectWords('STAGE');
          return createStage(x, cursor, m.orReplace, m.temporary);
        case 'STREAM':
          cursor.expectWords('STREAM');
          return createStream(x, cursor, m.orReplace);
        case 'TASK':
          cursor.expectWords('TASK');
          return createTask(x, cursor, m.orReplace);
        case 'ALERT':
          cursor.expectWords('ALERT');
          return createAlert(x, cursor, m.orReplace);
        case 'SEQUENCE':
          cursor.expectWords('SEQUENCE');
          return createSequence(x, cursor, m.orReplace);
        case 'PROCEDURE':
          cursor.expectWords('PROCEDURE');
          return createProcedure(x, cursor, m.orReplace);
        default:
          throw unsupported(`CREATE ${object || 'this object'}`);
      }
    }
    case 'drop': {
      cursor.expectWords('DROP');
      switch (object) {
        case 'DATABASE':
        case 'SCHEMA':
        case 'TABLE':
        case 'VIEW':
          cursor.expectWords(object);
          return dropContainerOrTable(x, cursor, object);
        case 'MATERIALIZED VIEW':
          cursor.expectWords('MATERIALIZED', 'VIEW');
          return dropContainerOrTable(x, cursor, 'MATERIALIZED VIEW');
        case 'WAREHOUSE':
          cursor.expectWords('WAREHOUSE');
          return dropWarehouse(x, cursor);
        case 'ROLE':
          cursor.expectWords('ROLE');
          return dropRole(x, cursor);
        case 'USER':
          cursor.expectWords('USER');
          return dropUser(x, cursor);
        case 'RESOURCE MONITOR':
          cursor.expectWords('RESOURCE', 'MONITOR');
          return dropAccountObject(x, cursor, 'RESOURCE MONITOR');
        case 'NETWORK POLICY':
          cursor.expectWords('NETWORK', 'POLICY');
          return dropAccountObject(x, cursor, 'NETWORK POLICY');
        case 'INTEGRATION':
        case 'NOTIFICATION INTEGRATION':
          cursor.acceptAnyWord('NOTIFICATION', 'STORAGE', 'API', 'SECURITY');
          cursor.expectWords('INTEGRATION');
          return dropAccountObject(x, cursor, 'INTEGRATION');
        case 'FILE FORMAT':
          cursor.expectWords('FILE', 'FORMAT');
          return dropStageOrFormat(x, cursor, 'FILE_FORMAT');
        case 'STAGE':
          cursor.expectWords('STAGE');
          return dropStageOrFormat(x, cursor, 'STAGE');
        case 'STREAM':
          cursor.expectWords('STREAM');
          return dropStream(x, cursor);
        case 'TASK':
        case 'ALERT':
          cursor.expectWords(object);
          return dropTaskOrAlert(x, cursor, object);
        case 'SEQUENCE':
        case 'PROCEDURE':
          cursor.expectWords(object);
          return dropProcedureOrSequence(x, cursor, object);
        default:
          throw unsupported(`DROP ${object || 'this object'}`);
      }
    }
    case 'alter': {
      cursor.expectWords('ALTER');
      switch (object) {
        case 'DATABASE':
          cursor.expectWords('DATABASE');
          return alterDatabase(x, cursor);
        case 'SCHEMA':
          cursor.expectWords('SCHEMA');
          return alterSchema(x, cursor);
        case 'TABLE':
          cursor.expectWords('TABLE');
          return alterTable(x, cursor);
        case 'VIEW':
          cursor.expectWords('VIEW');
          return alterView(x, cursor);
        case 'MATERIALIZED VIEW':
          cursor.expectWords('MATERIALIZED', 'VIEW');
          return alterView(x, cursor);
        case 'ROLE':
          cursor.expectWords('ROLE');
          return alterRole(x, cursor);
        case 'USER':
          cursor.expectWords('USER');
          return alterUser(x, cursor);
        case 'RESOURCE MONITOR':
          cursor.expectWords('RESOURCE', 'MONITOR');
          return alterResourceMonitor(x, cursor);
        case 'NETWORK POLICY':
          cursor.expectWords('NETWORK', 'POLICY');
          return alterNetworkPolicy(x, cursor);
        case 'INTEGRATION':
        case 'NOTIFICATION INTEGRATION':
          cursor.acceptAnyWord('NOTIFICATION', 'STORAGE', 'API', 'SECURITY');
          cursor.expectWords('INTEGRATION');
          return alterIntegration(x, cursor);
        case 'ACCOUNT':
          cursor.index = 0;
          return alterAccount(x, cursor);
        case 'STREAM':
          cursor.expectWords('STREAM');
          return alterStream(x, cursor);
        case 'TASK':
          cursor.expectWords('TASK');
          return alterTask(x, cursor);
        case 'ALERT':
          cursor.expectWords('ALERT');
          return alterAlert(x, cursor);
        default:
          throw unsupported(`ALTER ${object || 'this object'}`);
      }
    }
    case 'undrop':
      return undrop(x, cursor);
    case 'truncate':
      return truncate(x, cursor);
    case 'comment':
      return comment(x, cursor);
    case 'grant':
    case 'revoke':
      return grantOrRevoke(x, cursor);
    case 'show':
      return show(x, cursor);
    case 'describe':
      return describe(x, cursor);
    case 'list':
      return list(x, cursor);
    case 'remove':
      return remove(x, cursor);
    case 'copy':
      return copyInto(x, cursor);
    case 'call':
      return call(x, cursor);
    case 'execute':
      return execute(x, cursor);
    case 'execute-immediate':
      throw unsupported('EXECUTE IMMEDIATE; run the statements themselves');
    default:
      throw unsupported(verb.toUpperCase());
  }
}
