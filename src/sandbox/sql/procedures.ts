// Sequences and SQL procedures. A procedure here is Snowflake Scripting's straight-line form — a
// BEGIN … END block of statements ending in RETURN — run as its owner (or caller); arguments are
// referenced as :name. Control flow (IF, FOR, LET, EXCEPTION) is reported as not supported.
import type { ObjectEntry } from './catalog.js';
import { Cursor as CursorClass, type Cursor } from './cursor.js';
import { encodeResult, wireColumn } from './encode.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound, unsupported } from './errors.js';
import type { Execution, NestedOptions, Outcome } from './execution.js';
import { applyFutureGrants } from './grants.js';
import { dropSchemaObject } from './drop.js';
import { prepare } from './query.js';
import { locate, Resolver } from './resolve.js';
import { splitStatements } from './statements.js';
import { isOp } from './tokens.js';

/** The DuckDB sequence behind a Snowflake sequence. */
export function sequenceSql(id: number): string {
  return `meta.seq_o${id}`;
}

/** CREATE SEQUENCE name [START [WITH] n] [INCREMENT [BY] m]. */
export async function createSequence(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  let start = 1;
  let increment = 1;
  let comment: string | null = null;
  cursor.acceptWords('WITH');
  for (;;) {
    if (cursor.acceptWords('START')) {
      cursor.acceptWords('WITH');
      cursor.acceptOp('=');
      start = Number(cursor.value());
    } else if (cursor.acceptWords('INCREMENT')) {
      cursor.acceptWords('BY');
      cursor.acceptOp('=');
      increment = Number(cursor.value());
    } else if (cursor.acceptAnyWord('ORDER', 'NOORDER')) {
      // accepted; values are always handed out in order here
    } else if (cursor.acceptWords('COMMENT')) {
      cursor.expectOp('=');
      comment = String(cursor.value());
    } else break;
  }
  cursor.expectEnd();
  const located = locate(x, name, ['SEQUENCE'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE SEQUENCE')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  return x.ddl(async () => {
    if (located.object) {
      x.catalog.data.objects.splice(x.catalog.data.objects.indexOf(located.object), 1);
      await x.run(`DROP SEQUENCE IF EXISTS ${sequenceSql(located.object.id)}`);
    }
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'SEQUENCE', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment, sequence: { next: start, increment },
    };
    await x.run(`CREATE SEQUENCE ${sequenceSql(object.id)} START ${start} INCREMENT ${increment}`);
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`Sequence ${located.name} successfully created.`);
  });
}

/** CREATE PROCEDURE name(args) RETURNS type LANGUAGE SQL [EXECUTE AS OWNER|CALLER] AS '…'. */
export async function createProcedure(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  const signature = cursor.group();
  const args = signature.trim() === '' ? [] : signature.split(',').map((part) => {
    const [argName, ...type] = part.trim().split(/\s+/);
    return { name: argName!.toUpperCase(), type: type.join(' ').toUpperCase() };
  });
  cursor.expectWords('RETURNS');
  let returns = '';
  while (!cursor.atEnd() && !cursor.isWords('LANGUAGE') && !cursor.isWords('AS') && !cursor.isWords('EXECUTE') && !cursor.isWords('COMMENT')) {
    const token = cursor.peek();
    if (isOp(token, '(')) returns += `(${cursor.group()})`;
    else returns += `${returns ? ' ' : ''}${cursor.next().value}`;
  }
  let language = 'SQL';
  let executeAs: 'OWNER' | 'CALLER' = 'OWNER';
  let comment: string | null = null;
  for (;;) {
    if (cursor.acceptWords('LANGUAGE')) language = cursor.next().value;
    else if (cursor.acceptWords('EXECUTE', 'AS')) executeAs = cursor.expectAnyWord('OWNER', 'CALLER', 'RESTRICTED') === 'CALLER' ? 'CALLER' : 'OWNER';
    else if (cursor.acceptWords('COMMENT')) {
      cursor.expectOp('=');
      comment = String(cursor.value());
    } else if (cursor.acceptAnyWord('STRICT', 'VOLATILE', 'IMMUTABLE') || cursor.acceptWords('CALLED', 'ON', 'NULL', 'INPUT')) {
      // accepted
    } else break;
  }
  cursor.expectWords('AS');
  const bodyToken = cursor.next();
  if (bodyToken.kind !== 'string') cursor.fail(bodyToken);
  cursor.expectEnd();
  if (language !== 'SQL') throw unsupported(`procedures in ${language} (the sandbox runs LANGUAGE SQL procedures)`);
  const located = locate(x, name, ['PROCEDURE'], x.scope());
  if (!x.access.has(x.roles(), { type: 'SCHEMA', id: located.schema.id }, 'CREATE PROCEDURE')) throw insufficientPrivileges('schema', located.schema.name);
  if (located.object && ifNotExists) return x.status(`${located.name} already exists, statement succeeded.`);
  if (located.object && !orReplace) throw alreadyExists(located.name);
  return x.ddl(async () => {
    if (located.object) x.catalog.data.objects.splice(x.catalog.data.objects.indexOf(located.object), 1);
    const object: ObjectEntry = {
      id: x.catalog.newId(), kind: 'PROCEDURE', schemaId: located.schema.id, name: located.name, owner: x.session.role,
      createdOn: new Date().toISOString(), comment,
      procedure: { signature: `(${args.map((a) => a.type).join(', ')})`, arguments: args, returns, body: bodyToken.value, language, executeAs },
    };
    x.catalog.data.objects.push(object);
    applyFutureGrants(x, object, located);
    return x.status(`Function ${located.name} successfully created.`);
  });
}

/** DROP PROCEDURE / DROP SEQUENCE. */
export function dropProcedureOrSequence(x: Execution, cursor: Cursor, kind: 'PROCEDURE' | 'SEQUENCE'): Promise<Outcome> {
  return dropSchemaObject(x, cursor, kind, kind.toLowerCase(), async (dropped) => {
    if (kind === 'SEQUENCE') await x.run(`DROP SEQUENCE IF EXISTS ${sequenceSql(dropped.id)}`);
  });
}

/** CALL procedure(args) or CALL SYSTEM$FUNCTION(args). */
export async function call(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('CALL');
  const name = cursor.objectName();
  const argsText = cursor.group();
  cursor.expectEnd();
  const last = name.parts[name.parts.length - 1]!.name;
  if (name.parts.length === 1 && last.startsWith('SYSTEM$')) {
    const resolver = new Resolver(x, x.scope());
    const translator = resolver.translator(`SELECT ${last}(${argsText}) AS ${JSON.stringify(last)}`);
    const sql = translator.query(translator.tree(), false);
    await prepare(x);
    // The function's own type travels: SYSTEM$SEND_EMAIL answers a BOOLEAN, most others text.
    const { columns, rows } = encodeResult(await x.run(sql), translator.columnTypes);
    return { columns, rows, statementTypeId: x.statementClass.typeId };
  }
  const located = locate(x, name, ['PROCEDURE'], x.scope());
  if (!located.object?.procedure) throw notFound('Object', located.written);
  if (!x.access.has(x.roles(), { type: 'OBJECT', id: located.object.id }, 'USAGE')) throw insufficientPrivileges('procedure', located.object.name);
  const procedure = located.object.procedure;
  // Evaluate the arguments, then run the body with :arg replaced by each value.
  const resolver = new Resolver(x, x.scope());
  const argSql = argsText.trim() === '' ? [] : resolver.translator(argsText).args(resolver.translator(argsText).tree());
  if (argSql.length !== procedure.arguments.length) {
    throw compilationError(`Incorrect number of arguments passed to stored procedure '${located.object.name}(${procedure.arguments.map((a) => a.type).join(', ')})'`);
  }
  const values = argSql.map((arg) => arg.sql);
  const substitute = (statement: string): string =>
    procedure.arguments.reduce((text, arg, k) => text.replace(new RegExp(`:${arg.name}\\b`, 'gi'), `(${values[k]})`), statement);
  const [database, schema] = x.catalog.qualifiedName(located.object);
  const nested = procedure.executeAs === 'OWNER' ? { role: located.object.owner, database, schema } : {};
  const result = await runScript(x, procedure.body, substitute, nested);
  return { columns: [wireColumn(located.object.name, 'text')], rows: [[result]], statementTypeId: x.statementClass.typeId };
}

/**
 * Runs a Snowflake Scripting body in its straight-line form: `[BEGIN] statement; …; [RETURN expr;] [END]`.
 * Returns what RETURN gives (or null). Control flow is refused with a clear message.
 */
export async function runScript(x: Execution, body: string, substitute: (statement: string) => string, nested: NestedOptions): Promise<string | null> {
  let text = body.trim().replace(/;\s*$/, '');
  if (/^DECLARE\b/i.test(text)) throw unsupported('DECLARE blocks (Snowflake Scripting variables)');
  const block = /^BEGIN\b([\s\S]*)\bEND$/i.exec(text);
  if (block) text = block[1]!;
  for (const statement of splitStatements(text)) {
    if (/^(IF|FOR|WHILE|LOOP|LET|CASE|REPEAT|EXCEPTION|DECLARE|RAISE|OPEN|FETCH)\b/i.test(statement)) {
      throw unsupported(`Snowflake Scripting '${statement.split(/\s/)[0]!.toUpperCase()}' (the sandbox runs straight-line blocks)`);
    }
    const returned = /^RETURN\b([\s\S]*)$/i.exec(statement);
    if (returned) {
      const answer = await x.engine.runNested(x, `SELECT ${substitute(returned[1]!.trim() || 'NULL')}`, nested);
      return answer.rows[0]?.[0] ?? null;
    }
    await x.engine.runNested(x, substitute(statement), nested);
  }
  return null;
}

/** An anonymous block (BEGIN … END) or EXECUTE IMMEDIATE '…' / $$…$$, run in the caller's session. */
export async function anonymousBlock(x: Execution): Promise<Outcome> {
  let body = x.sql;
  const immediate = /^\s*EXECUTE\s+IMMEDIATE\s+/i.exec(body);
  if (immediate) {
    const cursor = new CursorClass(x.sql);
    cursor.expectWords('EXECUTE', 'IMMEDIATE');
    const token = cursor.next();
    if (token.kind !== 'string') cursor.fail(token);
    cursor.acceptWords('USING');
    body = token.value;
    // A single statement (not a block) answers with its own result.
    if (!/^\s*(BEGIN|DECLARE)\b/i.test(body) && splitStatements(body).length === 1) {
      return x.engine.runNested(x, splitStatements(body)[0]!, {});
    }
  }
  const result = await runScript(x, body, (statement) => statement, {});
  return { columns: [wireColumn('anonymous block', 'text')], rows: [[result]], statementTypeId: x.statementClass.typeId };
}
