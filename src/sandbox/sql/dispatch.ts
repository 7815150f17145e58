// Routes account and schema DDL, SHOW/DESCRIBE, stage and task statements to their handlers.
import { Cursor } from './cursor.js';
import {
  alterDatabase, alterSchema, alterTable, alterView, comment, createDatabase, createSchema, createTable, createView,
  dropContainerOrTable, truncate, undrop,
} from './ddl.js';
import { unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { grantOrRevoke } from './grants.js';

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
    default:
      throw unsupported(verb.toUpperCase());
  }
}
