// Snowflake-shaped errors. Runbooks and trainees match on these codes and messages, so every
// failure the sandbox reports goes through one of these constructors, never a raw DuckDB text.
import { SandboxError } from '../engine-api.js';
import { raisedError } from './functions.js';
import type { Token } from './tokens.js';

/** `SQL compilation error: syntax error line L at position P unexpected 'X'.` (001003/42000) */
export function syntaxError(token: Token | undefined): SandboxError {
  const line = token?.line ?? 1;
  const position = token?.column ?? 0;
  const text = !token || token.kind === 'end' ? '<EOF>' : token.text;
  return new SandboxError('001003', '42000', `SQL compilation error:\nsyntax error line ${line} at position ${position} unexpected '${text}'.`);
}

/** What a missing object is called in Snowflake's messages. */
export type MissingKind = 'Object' | 'Database' | 'Schema' | 'Warehouse' | 'Stage' | 'Role' | 'User' | 'Task' | 'Stream';

/** `… 'NAME' does not exist or not authorized.` (002003; 42S02 for tables, 02000 for containers) */
export function notFound(kind: MissingKind, name: string): SandboxError {
  const sqlState = kind === 'Object' || kind === 'Stage' ? '42S02' : '02000';
  return new SandboxError('002003', sqlState, `SQL compilation error:\n${kind} '${name}' does not exist or not authorized.`);
}

/** `Object does not exist, or operation cannot be performed.` (002043/02000), for USE and ALTER of account objects. */
export function cannotPerform(): SandboxError {
  return new SandboxError('002043', '02000', 'SQL compilation error:\nObject does not exist, or operation cannot be performed.');
}

/** `Insufficient privileges to operate on <kind> 'NAME'` (003001/42501) */
export function insufficientPrivileges(kind: string, name: string): SandboxError {
  return new SandboxError('003001', '42501', `SQL access control error:\nInsufficient privileges to operate on ${kind} '${name}'`);
}

/** `Object 'NAME' already exists.` (002002/42710) */
export function alreadyExists(name: string): SandboxError {
  return new SandboxError('002002', '42710', `SQL compilation error:\nObject '${name}' already exists.`);
}

/** `invalid identifier 'NAME'` (000904/42000) */
export function invalidIdentifier(name: string, token?: Token): SandboxError {
  const where = token ? ` error line ${token.line} at position ${token.column}` : '';
  return new SandboxError('000904', '42000', `SQL compilation error:${where}\ninvalid identifier '${name}'`);
}

/** No warehouse in the session (000606/57P03). */
export function noActiveWarehouse(): SandboxError {
  return new SandboxError(
    '000606',
    '57P03',
    "No active warehouse selected in the current session.  Select an active warehouse with the 'use warehouse' command.\n",
  );
}

/** `Division by zero` (100051/22012) */
export function divisionByZero(): SandboxError {
  return new SandboxError('100051', '22012', 'Division by zero');
}

/** `Numeric value 'X' is not recognized` (100038/22018) */
export function numericNotRecognized(value: string): SandboxError {
  return new SandboxError('100038', '22018', `Numeric value '${value}' is not recognized`);
}

/** `Requested role 'R' is not assigned to the executing user.` (003013/42501) */
export function roleNotGranted(role: string): SandboxError {
  return new SandboxError(
    '003013',
    '42501',
    `SQL access control error:\nRequested role '${role}' is not assigned to the executing user.  Specify another role to activate.`,
  );
}

/** A feature the sandbox does not model (000002/0A000). */
export function unsupported(feature: string): SandboxError {
  return new SandboxError('000002', '0A000', `Unsupported feature '${feature}'.`);
}

/** A compilation error with a free-form explanation (002140/42601). */
export function compilationError(message: string): SandboxError {
  return new SandboxError('002140', '42601', `SQL compilation error:\n${message}`);
}

/** An execution error with a free-form explanation (100090/22000). */
export function executionError(message: string): SandboxError {
  return new SandboxError('100090', '22000', message);
}

/** The statement was cancelled (000604/57014). */
export function cancelled(): SandboxError {
  return new SandboxError('000604', '57014', 'SQL execution canceled');
}

/** Time Travel outside the retention period or before the table existed (000707/02000). */
export function timeTravelUnavailable(table: string): SandboxError {
  return new SandboxError(
    '000707',
    '02000',
    `Time travel data is not available for table ${table}. The requested time is either beyond the allowed time travel period or before the object creation time.`,
  );
}

/** A query id that Time Travel cannot use (000707/02000). */
export function statementNotFound(queryId: string): SandboxError {
  return new SandboxError('000707', '02000', `Statement ${queryId} not found`);
}

/** Where a DuckDB message points, if it names a token near which the problem is. */
function nearWord(message: string): string | undefined {
  return /at or near "([^"]*)"/.exec(message)?.[1];
}

/** Strips DuckDB's class prefix and caret diagram from a message. */
export function plainDuckMessage(message: string): string {
  return message
    .replace(/\n\s*LINE \d+:[\s\S]*$/, '')
    .replace(/^[A-Za-z ]+ Error: /, '')
    .trim();
}

/**
 * Turns a DuckDB error into the Snowflake error a user would have seen for the same mistake.
 * `locate` finds a word in the original statement, so positions refer to what the user wrote.
 */
export function fromDuckError(error: unknown, locate: (word: string) => Token | undefined): SandboxError {
  if (error instanceof SandboxError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const raised = raisedError(message);
  if (raised) return new SandboxError(raised.code, raised.sqlState, raised.message);
  const plain = plainDuckMessage(message);

  if (/^Parser Error/.test(message)) {
    const near = nearWord(message);
    return syntaxError(near === undefined ? undefined : (locate(near) ?? { kind: 'word', text: near, value: near, start: 0, line: 1, column: 0 }));
  }
  let m = /Referenced column "([^"]+)" not found/.exec(message) ?? /Column "([^"]+)" referenced that (?:does not exist|exists in the SELECT clause)/.exec(message);
  if (m) return invalidIdentifier(m[1]!, locate(m[1]!));
  m = /Referenced table "([^"]+)" not found/.exec(message);
  if (m) return invalidIdentifier(m[1]!, locate(m[1]!));
  m = /(?:Table|Values list) "([^"]+)" does not have a column named "([^"]+)"/.exec(message);
  if (m) return invalidIdentifier(m[2]!, locate(m[2]!));
  if (/[Dd]ivision by zero/.test(message)) return divisionByZero();
  m = /Could not convert string ['"](.*?)['"] to (INT|DECIMAL|DOUBLE|FLOAT|BIGINT|HUGEINT|UBIGINT|SMALLINT|TINYINT|INT\d+)/.exec(message);
  if (m) return numericNotRecognized(m[1]!);
  m = /Could not convert string ['"](.*?)['"] to BOOL/.exec(message);
  if (m) return new SandboxError('100037', '22018', `Boolean value '${m[1]}' is not recognized`);
  m = /(?:date field value out of range|Could not convert string|invalid date field format).*?"([^"]*)"/.exec(message);
  if (m && /DATE/.test(message)) return new SandboxError('100040', '22007', `Date '${m[1]}' is not recognized`);
  if (m && /TIMESTAMP/.test(message)) return new SandboxError('100035', '22007', `Timestamp '${m[1]}' is not recognized`);
  if (/More than one row returned by a subquery/.test(message)) {
    return new SandboxError('090150', '22000', 'Single-row subquery returns more than one row.');
  }
  if (/Malformed JSON/.test(message)) return new SandboxError('100069', '22P02', `Error parsing JSON: ${plain}`);
  if (/^INTERRUPT Error|Interrupted/.test(message)) return cancelled();
  if (/^(Out of Range|Conversion|Invalid Input) Error/.test(message)) return executionError(plain);
  m = /(?:Scalar|Table|Aggregate) Function with name "?([^"\s!]+)"? does not exist/.exec(message);
  if (m) return compilationError(`Unknown function ${m[1]!.toUpperCase()}`);
  if (/^(Binder|Catalog|Parser|Not implemented) Error/.test(message)) return compilationError(plain);
  if (/^TransactionContext Error|Transaction conflict/.test(message)) {
    return new SandboxError('000625', '57014', `Statement could not be completed because of a conflicting change: ${plain}`);
  }
  return compilationError(plain);
}

/** The session has no current database and the name is not qualified (090105/22000). */
export function noCurrentDatabase(action: string): SandboxError {
  return new SandboxError(
    '090105',
    '22000',
    `Cannot perform ${action}. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.`,
  );
}

/** The session has no current schema and the name is not qualified (090106/22000). */
export function noCurrentSchema(action: string): SandboxError {
  return new SandboxError(
    '090106',
    '22000',
    `Cannot perform ${action}. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.`,
  );
}

/** `Session variable '$X' does not exist` (002211/02000) */
export function variableNotFound(name: string, token?: Token): SandboxError {
  const where = token ? ` error line ${token.line} at position ${token.column}` : '';
  return new SandboxError('002211', '02000', `SQL compilation error:${where}\nSession variable '$${name}' does not exist`);
}
