// Snowflake queries → DuckDB SQL. Walks the bracket tree of a statement clause by clause:
// object names in FROM/JOIN go to the environment (which resolves them to physical tables,
// checks privileges and applies Time Travel), expressions get Snowflake's functions, casts,
// `:` paths, variables and binds rewritten, and the outer select list gets Snowflake's column
// names. Pure apart from the environment it is given, so it is unit-tested with a fake one.
import { parseNameText, type NamePart, type ObjectName } from './cursor.js';
import { compilationError, syntaxError, unsupported } from './errors.js';
import { CAST_MACROS, DATE_PARTS, FUNCTION_RENAMES } from './functions.js';
import { quoteName, quoteString, significantTokens, type Token } from './tokens.js';
import {
  buildTree, firstToken, isBracket, isOpNode, isParen, isWordNode, sourceOf, splitCommas, tokenOf,
  type Group, type Node,
} from './tree.js';
import { duckType, readType, type SnowflakeType } from './types.js';
import type { WireType } from '../engine-api.js';

/** A Time Travel point: AT(…) or BEFORE(…) after a table name. */
export interface TimeTravel {
  mode: 'AT' | 'BEFORE';
  kind: 'TIMESTAMP' | 'OFFSET' | 'STATEMENT' | 'STREAM';
  /** The point's expression, translated. */
  sql: string;
  token: Token;
}

/** CHANGES(INFORMATION => …) AT(…) [END(…)] after a table name. */
export interface ChangesClause {
  appendOnly: boolean;
  from: TimeTravel;
  to?: TimeTravel;
}

/** One argument of a function call: positional, or named with `name => value`. */
export interface FunctionArg {
  name?: string;
  sql: string;
  nodes: Node[];
}

/** What a DML statement does to its target, for the privilege it needs. */
export type DmlAction = 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' | 'TRUNCATE';

/** A DML target after resolution. */
export interface TargetTable {
  /** The physical table, e.g. `data.t12`. */
  sql: string;
  /** The table's columns, in order, as quoted names. */
  columns: string[];
  /** The name other clauses use for it when no alias is given. */
  alias: string;
}

/** What the translator asks of the engine. */
export interface QueryEnvironment {
  /** A table, view, stream or system view in FROM: returns a table expression (no alias). */
  relation(name: ObjectName, travel?: TimeTravel, changes?: ChangesClause): string;
  /** The table a DML statement writes. */
  target(name: ObjectName, action: DmlAction): TargetTable;
  /** TABLE(name(args)) that the translator does not build itself (RESULT_SCAN, INFORMATION_SCHEMA …). */
  tableFunction(name: string[], args: FunctionArg[], token: Token): string;
  /** `$name`: the SQL literal and its text. */
  variable(name: string, token: Token): { sql: string; text: string };
  /** `?` / `:n` (1-based): the SQL literal and its text. */
  bind(index: number, token: Token): { sql: string; text: string };
  /** Functions answered from session or engine state (CURRENT_ROLE(), SYSTEM$…); undefined if unknown. */
  engineFunction(name: string, args: FunctionArg[], token: Token): string | undefined;
  /** `seq.NEXTVAL`: the next value of a sequence. */
  sequence(name: ObjectName): string;
  /** The columns of a table (for result types DuckDB cannot tell apart), if it is one. */
  columnsOf?(name: ObjectName): { name: string; type: WireType }[] | undefined;
}

/** What the outer select list says about a result column's Snowflake type. */
type Hint = { type: WireType | undefined; offset?: number } | { column: string } | { star: true };

/** A translated statement. */
export interface Translation {
  sql: string;
}

/** Words that end a FROM list at the level being translated. */
const FROM_END = new Set([
  'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'EXCEPT', 'MINUS',
  'INTERSECT', 'WINDOW', 'SET', 'WHEN', 'ON', 'USING', 'RETURNING',
]);
/** Words that start a join. */
const JOIN_WORDS = new Set(['NATURAL', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'JOIN', 'ASOF', 'POSITIONAL', 'SEMI', 'ANTI']);
/** Words that start a clause of a SELECT. */
const CLAUSE_WORDS = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'UNION', 'EXCEPT',
  'MINUS', 'INTERSECT', 'WINDOW', 'VALUES',
]);
/** Words that may be followed by a parenthesis without being a function call. */
const NOT_FUNCTIONS = new Set([
  'IN', 'EXISTS', 'OVER', 'AS', 'VALUES', 'FILTER', 'GROUP', 'USING', 'ON', 'AND', 'OR', 'NOT', 'WHEN', 'THEN', 'ELSE',
  'BY', 'SELECT', 'FROM', 'JOIN', 'IS', 'LIKE', 'ILIKE', 'RLIKE', 'BETWEEN', 'ANY', 'ALL', 'SOME', 'CASE', 'DISTINCT',
  'AT', 'BEFORE', 'END', 'CHANGES', 'SAMPLE', 'TABLESAMPLE', 'ROWS', 'RANGE', 'LATERAL', 'TABLE', 'EXCLUDE', 'RENAME',
  'PARTITION', 'WHERE', 'HAVING', 'QUALIFY', 'UNION', 'EXCEPT', 'MINUS', 'INTERSECT', 'INTO', 'SET', 'WITHIN', 'RETURN',
  'LIMIT', 'TOP', 'INTERVAL', 'ORDER', 'WITH', 'RECURSIVE', 'ESCAPE', 'ASC', 'DESC', 'NULLS', 'MATCH_CONDITION', 'DO',
]);
/** DuckDB reserved words that Snowflake allows as names: quoted when used next to a dot. */
const DUCK_RESERVED = new Set([
  'ANALYSE', 'ANALYZE', 'ARRAY', 'ASC', 'ASYMMETRIC', 'BOTH', 'COLLATE', 'DEFAULT', 'DEFERRABLE', 'DESC', 'DESCRIBE', 'DO',
  'END', 'FETCH', 'FOREIGN', 'INITIALLY', 'LEADING', 'LIMIT', 'OFFSET', 'ONLY', 'PIVOT', 'PLACING', 'PRIMARY',
  'REFERENCES', 'RETURNING', 'SHOW', 'SUMMARIZE', 'SYMMETRIC', 'TRAILING', 'UNPIVOT', 'VARIADIC', 'USER', 'VALUE',
  'TYPE', 'KEY', 'NAME', 'COMMENT', 'STATUS', 'ROW', 'POSITION',
]);
/** Function names answered by the engine rather than DuckDB. */
const ENGINE_FUNCTIONS = new Set([
  'CURRENT_ACCOUNT', 'CURRENT_ACCOUNT_NAME', 'CURRENT_ORGANIZATION_NAME', 'CURRENT_USER', 'CURRENT_ROLE',
  'CURRENT_WAREHOUSE', 'CURRENT_DATABASE', 'CURRENT_SCHEMA', 'CURRENT_SCHEMAS', 'CURRENT_SESSION', 'CURRENT_REGION',
  'CURRENT_VERSION', 'CURRENT_CLIENT', 'CURRENT_STATEMENT', 'CURRENT_TRANSACTION', 'CURRENT_AVAILABLE_ROLES',
  'CURRENT_SECONDARY_ROLES', 'CURRENT_IP_ADDRESS', 'CURRENT_ROLE_TYPE', 'IS_ROLE_IN_SESSION', 'LAST_QUERY_ID',
  'LAST_TRANSACTION', 'IS_GRANTED_TO_INVOKER_ROLE',
]);
/** Words that can never be a bare column alias. */
const NOT_ALIASES = new Set(['END', 'NULL', 'TRUE', 'FALSE', 'ASC', 'DESC', 'FIRST', 'LAST', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME', 'CURRENT_USER', 'CURRENT_ROLE']);

/** Snowflake format elements → strftime. Longest first. */
const FORMAT_ELEMENTS: [string, string][] = [
  ['YYYY', '%Y'], ['HH24', '%H'], ['HH12', '%I'], ['MMMM', '%B'], ['TZH:TZM', '%z'], ['FF9', '%n'], ['FF6', '%f'],
  ['FF3', '%g'], ['FF', '%n'], ['MON', '%b'], ['DY', '%a'], ['YY', '%y'], ['MM', '%m'], ['DD', '%d'], ['HH', '%H'],
  ['MI', '%M'], ['SS', '%S'], ['AM', '%p'], ['PM', '%p'],
];

/** Converts a Snowflake date/time format ('YYYY-MM-DD HH24:MI:SS') to strftime ('%Y-%m-%d %H:%M:%S'). */
export function strftimeFormat(format: string): string {
  let out = '';
  let i = 0;
  const upper = format.toUpperCase();
  outer: while (i < format.length) {
    if (format[i] === '"') {
      const close = format.indexOf('"', i + 1);
      const literal = format.slice(i + 1, close < 0 ? undefined : close);
      out += literal.replace(/%/g, '%%');
      i = close < 0 ? format.length : close + 1;
      continue;
    }
    for (const [element, replacement] of FORMAT_ELEMENTS) {
      if (upper.startsWith(element, i)) {
        out += replacement;
        i += element.length;
        continue outer;
      }
    }
    out += format[i] === '%' ? '%%' : format[i];
    i++;
  }
  return out;
}

/** The UTC offset in minutes at the end of a timestamp text ('… +01:00', '…-0530', '…Z'), if it has one. */
export function writtenOffset(text: string): number | undefined {
  if (/\dZ$/i.test(text.trim())) return 0;
  const match = /\d\s*([+-])(\d{2})(?::?(\d{2}))?\s*$/.exec(text);
  if (!match || !/\d{1,2}:\d{2}/.test(text)) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** Whether a translated SQL expression is a plain string literal; returns its text. */
export function literalText(sql: string): string | undefined {
  const match = /^'((?:[^']|'')*)'$/.exec(sql.trim());
  return match ? match[1]!.replace(/''/g, "'") : undefined;
}

/** Translates Snowflake statements of one text for DuckDB. */
export class Translator {
  private readonly ctes: Set<string>[] = [];
  private bindCounter = 0;
  /** Whether the statement reads any table-like object (and so needs a warehouse). */
  readsData = false;
  /**
   * Per result column of the outer query, the wire type DuckDB's own type cannot tell
   * (TIMESTAMP_TZ vs LTZ, OBJECT and ARRAY vs VARIANT); undefined where DuckDB's is right.
   */
  columnTypes: (WireType | undefined)[] = [];
  /** Per result column, the UTC offset in minutes a TIMESTAMP_TZ literal was written with. */
  columnOffsets: (number | undefined)[] = [];
  private hints: Hint[] | undefined;
  private topRelations: ObjectName[] | undefined;

  constructor(
    /** The statement text. */
    readonly sql: string,
    private readonly env: QueryEnvironment,
  ) {}

  /** Makes a name resolve as a CTE (the staged rows of a COPY transformation). */
  declareName(name: string): void {
    this.ctes.push(new Set([name]));
  }

  /** The bracket tree of the whole statement. */
  tree(): Node[] {
    return buildTree(significantTokens(this.sql));
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** A query (SELECT / WITH / VALUES / set operations); `top` names its columns as Snowflake does. */
  query(nodes: Node[], top = false): string {
    const out: string[] = [];
    let i = 0;
    let pushedCtes = false;
    let topLimit: string | undefined;
    let hasLimit = false;
    let namedSelect = !top;
    if (isWordNode(nodes[0], 'WITH')) {
      const ctes = new Set<string>();
      this.ctes.push(ctes);
      pushedCtes = true;
      out.push('WITH');
      i = 1;
      if (isWordNode(nodes[i], 'RECURSIVE')) {
        out.push('RECURSIVE');
        i++;
      }
      for (;;) {
        const nameToken = tokenOf(nodes[i]);
        if (!nameToken || (nameToken.kind !== 'word' && nameToken.kind !== 'quoted')) throw syntaxError(firstToken(nodes[i] ?? nodes[i - 1]!));
        ctes.add(nameToken.value);
        out.push(quoteName(nameToken.value));
        i++;
        if (isParen(nodes[i])) {
          out.push(`(${this.nameList(nodes[i] as Group)})`);
          i++;
        }
        if (!isWordNode(nodes[i], 'AS')) throw syntaxError(tokenOf(nodes[i]) ?? firstToken(nodes[i - 1]!));
        i++;
        const body = nodes[i];
        if (!isParen(body)) throw syntaxError(body ? firstToken(body) : undefined);
        out.push(`AS (${this.query(body.children)})`);
        i++;
        if (isOpNode(nodes[i], ',')) {
          out.push(',');
          i++;
          continue;
        }
        break;
      }
    }
    while (i < nodes.length) {
      const node = nodes[i]!;
      if (isWordNode(node, 'SELECT')) {
        out.push('SELECT');
        i++;
        if (isWordNode(nodes[i], 'DISTINCT', 'ALL')) out.push(tokenOf(nodes[i++])!.value);
        if (isWordNode(nodes[i], 'TOP') && nodes[i + 1]) {
          topLimit = this.expr([nodes[i + 1]!]);
          i += 2;
        }
        const end = this.clauseEnd(nodes, i);
        if (!namedSelect) {
          this.hints = [];
          this.topRelations = [];
        }
        if (end === i) throw syntaxError(tokenOf(nodes[end]) ?? (nodes[end] ? firstToken(nodes[end]!) : undefined));
        out.push(this.selectList(nodes.slice(i, end), !namedSelect));
        if (!namedSelect && isWordNode(nodes[end], 'FROM')) {
          const relations = this.topRelations;
          out.push('FROM');
          i = this.fromList(nodes, end + 1, out);
          this.topRelations = undefined;
          this.resolveHints(relations!);
          namedSelect = true;
          continue;
        }
        if (!namedSelect) this.resolveHints([]);
        namedSelect = true;
        i = end;
        continue;
      }
      if (isWordNode(node, 'FROM')) {
        out.push('FROM');
        i = this.fromList(nodes, i + 1, out);
        continue;
      }
      if (isWordNode(node, 'MINUS')) {
        out.push('EXCEPT');
        i++;
        continue;
      }
      if (isWordNode(node, 'LIMIT', 'FETCH')) hasLimit = true;
      if (isWordNode(node, ...CLAUSE_WORDS)) {
        out.push(tokenOf(node)!.value);
        i++;
        const end = this.clauseEnd(nodes, i);
        if (end > i) out.push(this.expr(nodes.slice(i, end)));
        i = end;
        continue;
      }
      if (isParen(node) && startsQuery(node.children)) {
        out.push(`(${this.query(node.children)})`);
        i++;
        continue;
      }
      const end = this.clauseEnd(nodes, i + 1);
      out.push(this.expr(nodes.slice(i, end)));
      i = end;
    }
    if (topLimit !== undefined && !hasLimit) out.push(`LIMIT ${topLimit}`);
    if (pushedCtes) this.ctes.pop();
    return out.join(' ');
  }

  /** Index of the next clause keyword at this level, from `from`. */
  private clauseEnd(nodes: Node[], from: number): number {
    let i = from;
    while (i < nodes.length) {
      const node = nodes[i]!;
      if (isWordNode(node, ...CLAUSE_WORDS)) {
        // IS DISTINCT FROM is not a FROM clause, and WITHIN GROUP is not a GROUP BY.
        if ((isWordNode(node, 'FROM') && isWordNode(nodes[i - 1], 'DISTINCT')) || (isWordNode(node, 'GROUP') && isWordNode(nodes[i - 1], 'WITHIN'))) {
          i++;
          continue;
        }
        return i;
      }
      i++;
    }
    return i;
  }

  /** A select list; `name` gives unaliased expressions Snowflake's column names. */
  private selectList(nodes: Node[], name: boolean): string {
    return splitCommas(nodes)
      .map((item) => this.selectItem(item, name))
      .join(', ');
  }

  private selectItem(item: Node[], name: boolean): string {
    if (item.length === 0) throw syntaxError(undefined);
    // * and t.* (with EXCLUDE / RENAME / REPLACE) pass through.
    const starAt = item.findIndex((node) => isOpNode(node, '*'));
    if (starAt >= 0 && (starAt === 0 || isOpNode(item[starAt - 1], '.')) && item.slice(0, starAt).every((n) => !isParen(n))) {
      // Only a bare * over known tables maps onto their columns; t.* or * EXCLUDE (…) leaves types to DuckDB.
      if (name && this.hints) this.hints.push(item.length === 1 ? { star: true } : { type: undefined });
      if (name && this.hints && item.length > 1) this.hints = undefined;
      return this.expr(item);
    }
    let exprNodes = item;
    let alias: string | undefined;
    const last = item[item.length - 1]!;
    const lastToken = tokenOf(last);
    if (item.length >= 3 && isWordNode(item[item.length - 2], 'AS') && lastToken && (lastToken.kind === 'word' || lastToken.kind === 'quoted')) {
      alias = lastToken.value;
      exprNodes = item.slice(0, -2);
    } else if (item.length >= 2 && lastToken && (lastToken.kind === 'word' || lastToken.kind === 'quoted') && endsValue(item[item.length - 2]!) && !(lastToken.kind === 'word' && NOT_ALIASES.has(lastToken.value))) {
      alias = lastToken.value;
      exprNodes = item.slice(0, -1);
    }
    let sql = this.expr(exprNodes);
    if (name) sql = this.shownPath(sql);
    if (name && this.hints) this.hints.push(this.hintOf(exprNodes));
    if (alias !== undefined) return `${sql} AS ${quoteName(alias)}`;
    if (!name || isColumnReference(exprNodes)) return sql;
    return `${sql} AS ${quoteName(this.columnName(exprNodes))}`;
  }

  /** What an outer select item's expression says about its Snowflake type. */
  private hintOf(nodes: Node[]): Hint {
    const last = tokenOf(nodes[nodes.length - 1]);
    const beforeLast = nodes[nodes.length - 2];
    // A TIMESTAMP_TZ written as a literal keeps the offset it was written with.
    const written = (node: Node | undefined): { type: WireType; offset?: number } => {
      const literal = tokenOf(node);
      const offset = literal?.kind === 'string' ? writtenOffset(literal.value) : undefined;
      return offset === undefined ? { type: 'timestamp_tz' } : { type: 'timestamp_tz', offset };
    };
    if (last && isOpNode(beforeLast, '::') && ['TIMESTAMP_TZ', 'OBJECT', 'ARRAY'].includes(last.value)) {
      if (last.value === 'TIMESTAMP_TZ') return written(nodes.length === 3 ? nodes[0] : undefined);
      return { type: last.value.toLowerCase() as WireType };
    }
    const head = tokenOf(nodes[0]);
    if (nodes.length === 2 && head?.kind === 'word' && isParen(nodes[1])) {
      const fn = head.value;
      if (/^OBJECT_(CONSTRUCT|CONSTRUCT_KEEP_NULL|AGG|INSERT|DELETE)$|^TO_OBJECT$/.test(fn)) return { type: 'object' };
      if (/^ARRAY_(CONSTRUCT|CONSTRUCT_COMPACT|AGG|APPEND|CAT|DISTINCT|GENERATE_RANGE)$|^ARRAYAGG$|^SPLIT$|^TO_ARRAY$|^OBJECT_KEYS$/.test(fn)) return { type: 'array' };
      if (fn === 'TO_TIMESTAMP_TZ') return written(nodes[1].children.length === 1 ? nodes[1].children[0] : undefined);
      if (fn === 'CONVERT_TIMEZONE') return { type: 'timestamp_tz' };
      if ((fn === 'CAST' || fn === 'TRY_CAST') && nodes[1].children.length >= 3) {
        const typeWord = tokenOf(nodes[1].children[nodes[1].children.length - 1])?.value;
        if (typeWord === 'TIMESTAMP_TZ') return written(nodes[1].children.length === 3 ? nodes[1].children[0] : undefined);
        if (typeWord === 'OBJECT' || typeWord === 'ARRAY') return { type: typeWord.toLowerCase() as WireType };
      }
    }
    if (nodes.length === 1 && isOpNode(nodes[0], '*')) return { star: true };
    const single = tokenOf(nodes[nodes.length - 1]);
    const isColumn = (nodes.length === 1 || nodes.every((node, k) => (k % 2 === 1 ? isOpNode(node, '.') : ['word', 'quoted'].includes(tokenOf(node)?.kind ?? ''))));
    if (isColumn && single && (single.kind === 'word' || single.kind === 'quoted')) return { column: single.value };
    return { type: undefined };
  }

  /** Turns the outer select list's hints into per-column wire types, using the FROM tables' columns. */
  private resolveHints(relations: ObjectName[]): void {
    const hints = this.hints ?? [];
    this.hints = undefined;
    const named = relations.filter((r) => r.parts.length > 0);
    const columns = relations.length === named.length ? named.map((r) => this.env.columnsOf?.(r)) : [];
    const known = columns.every((c) => c !== undefined) ? (columns as { name: string; type: WireType }[][]) : undefined;
    const out: (WireType | undefined)[] = [];
    const offsets: (number | undefined)[] = [];
    for (const hint of hints) {
      if ('type' in hint) {
        offsets[out.length] = hint.offset;
        out.push(hint.type);
      } else if ('star' in hint) {
        if (!known) {
          this.columnTypes = [];
          return;
        }
        for (const list of known) for (const column of list) out.push(column.type);
      } else {
        const matches = (known ?? []).flat().filter((c) => c.name === hint.column);
        out.push(matches.length === 1 ? matches[0]!.type : undefined);
      }
    }
    this.columnTypes = out;
    this.columnOffsets = offsets;
  }

  /** Snowflake's name for an unaliased select item: the column's name, or the expression's text in upper case. */
  private columnName(nodes: Node[]): string {
    const tokens = nodes.length === 1 ? [tokenOf(nodes[0])] : [];
    const single = tokens[0];
    if (single && (single.kind === 'word' || single.kind === 'quoted')) return single.value;
    // t.col, db.s.t.col
    const isChain = nodes.length >= 3 && nodes.every((node, k) => (k % 2 === 1 ? isOpNode(node, '.') : ['word', 'quoted'].includes(tokenOf(node)?.kind ?? '')));
    if (isChain) return tokenOf(nodes[nodes.length - 1])!.value;
    const text = sourceOf(this.sql, nodes);
    return upperOutsideQuotes(text).replace(/\s+/g, ' ');
  }

  /** A `(a, b)` list of names. */
  private nameList(group: Group): string {
    return splitCommas(group.children)
      .map((part) => {
        const token = tokenOf(part[0]);
        if (part.length !== 1 || !token || (token.kind !== 'word' && token.kind !== 'quoted')) throw syntaxError(token);
        return quoteName(token.value);
      })
      .join(', ');
  }

  // ---------------------------------------------------------------------------------------------
  // FROM

  /** A FROM list from `i`; appends to `out` and returns the index after it. */
  fromList(nodes: Node[], i: number, out: string[]): number {
    i = this.fromItem(nodes, i, out);
    for (;;) {
      const node = nodes[i];
      if (!node) return i;
      if (isOpNode(node, ',')) {
        out.push(',');
        i = this.fromItem(nodes, i + 1, out);
        continue;
      }
      if (isWordNode(node, ...JOIN_WORDS)) {
        while (isWordNode(nodes[i], ...JOIN_WORDS)) {
          const word = tokenOf(nodes[i])!.value;
          out.push(word);
          i++;
          if (word === 'JOIN') break;
        }
        i = this.fromItem(nodes, i, out);
        if (isWordNode(nodes[i], 'ON')) {
          out.push('ON');
          i++;
          let end = i;
          while (end < nodes.length && !isOpNode(nodes[end], ',') && !isWordNode(nodes[end], ...JOIN_WORDS) && !isWordNode(nodes[end], ...FROM_END)) end++;
          out.push(this.expr(nodes.slice(i, end)));
          i = end;
        } else if (isWordNode(nodes[i], 'USING') && isParen(nodes[i + 1])) {
          out.push(`USING (${this.nameList(nodes[i + 1] as Group)})`);
          i += 2;
        } else if (isWordNode(nodes[i], 'MATCH_CONDITION')) {
          throw unsupported('ASOF JOIN');
        }
        continue;
      }
      return i;
    }
  }

  /** One item of a FROM list, with its alias. */
  private fromItem(nodes: Node[], i: number, out: string[]): number {
    const start = nodes[i];
    if (!start) throw syntaxError(undefined);
    let sql: string;
    let defaultAlias: string | undefined;
    let lateral = false;
    if (isWordNode(start, 'LATERAL')) {
      lateral = true;
      i++;
    }
    const node = nodes[i];
    if (!node) throw syntaxError(undefined);
    if (isWordNode(node, 'TABLE') && isParen(nodes[i + 1])) {
      if (this.topRelations) this.topRelations.push({ parts: [], token: firstToken(node) });
      sql = this.tableFunctionCall((nodes[i + 1] as Group).children, firstToken(node));
      i += 2;
    } else if (isParen(node)) {
      if (startsQuery(node.children)) sql = `(${this.query(node.children)})`;
      else {
        const inner: string[] = [];
        const end = this.fromList(node.children, 0, inner);
        if (end !== node.children.length) throw syntaxError(firstToken(node.children[end]!));
        sql = `(${inner.join(' ')})`;
      }
      i++;
    } else {
      const chain = this.nameChain(nodes, i);
      if (!chain || (tokenOf(node)?.kind === 'word' && RESERVED.has(tokenOf(node)!.value))) throw syntaxError(firstToken(node));
      i = chain.next;
      if (isParen(nodes[i])) {
        // LATERAL FLATTEN(…) and other table functions written without TABLE().
        sql = this.tableFunctionByName(chain.name, (nodes[i] as Group).children, chain.name.token);
        i++;
      } else {
        const { travel, changes, next } = this.timeTravel(nodes, i);
        i = next;
        const last = chain.name.parts[chain.name.parts.length - 1]!;
        if (chain.name.parts.length === 1 && this.isCte(last.name)) {
          sql = quoteName(last.name);
        } else {
          this.readsData = true;
          sql = this.env.relation(chain.name, travel, changes);
          this.topRelations?.push(chain.name);
        }
        defaultAlias = last.name;
      }
    }
    if (lateral) sql = `LATERAL ${sql}`;
    out.push(sql);
    // Alias, with optional column names.
    let alias: string | undefined;
    if (isWordNode(nodes[i], 'AS')) {
      const token = tokenOf(nodes[i + 1]);
      if (!token || (token.kind !== 'word' && token.kind !== 'quoted')) throw syntaxError(token ?? firstToken(nodes[i]!));
      alias = token.value;
      i += 2;
    } else {
      const token = tokenOf(nodes[i]);
      if (token && (token.kind === 'quoted' || (token.kind === 'word' && !FROM_END.has(token.value) && !JOIN_WORDS.has(token.value) && !CLAUSE_WORDS.has(token.value) && !['AT', 'BEFORE', 'CHANGES', 'SAMPLE', 'TABLESAMPLE', 'PIVOT', 'UNPIVOT', 'MATCH_RECOGNIZE', 'LATERAL'].includes(token.value)))) {
        alias = token.value;
        i++;
      }
    }
    if (alias !== undefined) {
      out.push(`AS ${quoteName(alias)}`);
      if (isParen(nodes[i])) {
        out.push(`(${this.nameList(nodes[i] as Group)})`);
        i++;
      }
    } else if (defaultAlias !== undefined) {
      out.push(`AS ${quoteName(defaultAlias)}`);
    }
    if (isWordNode(nodes[i], 'SAMPLE', 'TABLESAMPLE')) {
      i++;
      if (isWordNode(nodes[i], 'BERNOULLI', 'ROW', 'SYSTEM', 'BLOCK')) i++;
      const group = nodes[i];
      if (!isParen(group)) throw syntaxError(tokenOf(group));
      const rows = group.children.some((n) => isWordNode(n, 'ROWS'));
      const amount = this.expr(group.children.filter((n) => !isWordNode(n, 'ROWS')));
      out.push(rows ? `USING SAMPLE ${amount} ROWS` : `USING SAMPLE ${amount} PERCENT (bernoulli)`);
      i++;
    }
    return i;
  }

  private isCte(name: string): boolean {
    return this.ctes.some((set) => set.has(name));
  }

  /** A dotted name at `i`, or IDENTIFIER('…') / IDENTIFIER($var). */
  nameChain(nodes: Node[], i: number): { name: ObjectName; next: number } | undefined {
    const first = tokenOf(nodes[i]);
    if (!first) return undefined;
    if (isWordNode(nodes[i], 'IDENTIFIER') && isParen(nodes[i + 1])) {
      const inner = (nodes[i + 1] as Group).children;
      const text = this.identifierText(inner, first);
      return { name: { parts: parseNameText(text, first), token: first }, next: i + 2 };
    }
    if (first.kind !== 'word' && first.kind !== 'quoted') return undefined;
    const parts: NamePart[] = [{ name: first.value, quoted: first.kind === 'quoted' }];
    let k = i + 1;
    while (isOpNode(nodes[k], '.')) {
      const part = tokenOf(nodes[k + 1]);
      if (isOpNode(nodes[k + 1], '.')) {
        parts.push({ name: 'PUBLIC', quoted: false });
        k++;
        continue;
      }
      if (!part || (part.kind !== 'word' && part.kind !== 'quoted')) break;
      parts.push({ name: part.value, quoted: part.kind === 'quoted' });
      k += 2;
    }
    const sequenceCall = parts.length === 4 && !parts[3]!.quoted && parts[3]!.name === 'NEXTVAL';
    if (parts.length > 3 && !sequenceCall) throw syntaxError(first);
    return { name: { parts, token: first }, next: k };
  }

  /** The text IDENTIFIER(…) spells: a string, a variable or a bind. */
  private identifierText(inner: Node[], at: Token): string {
    const token = tokenOf(inner[0]);
    if (inner.length !== 1 || !token) throw syntaxError(at);
    if (token.kind === 'string') return token.value;
    if (token.kind === 'variable') return this.env.variable(token.value, token).text;
    if (token.kind === 'bind') return this.env.bind(this.bindIndex(token), token).text;
    throw syntaxError(token);
  }

  private timeTravel(nodes: Node[], i: number): { travel?: TimeTravel; changes?: ChangesClause; next: number } {
    if (isWordNode(nodes[i], 'CHANGES') && isParen(nodes[i + 1])) {
      const info = (nodes[i + 1] as Group).children;
      const appendOnly = info.some((n) => isWordNode(n, 'APPEND_ONLY'));
      const from = this.travelPoint(nodes, i + 2);
      if (!from) throw syntaxError(tokenOf(nodes[i + 2]) ?? firstToken(nodes[i + 1]!));
      let next = from.next;
      let to: TimeTravel | undefined;
      if (isWordNode(nodes[next], 'END') && isParen(nodes[next + 1])) {
        to = this.travelArgs(nodes[next + 1] as Group, 'AT', tokenOf(nodes[next])!);
        next += 2;
      }
      return { changes: { appendOnly, from: from.travel, to }, next };
    }
    const point = this.travelPoint(nodes, i);
    return point ? { travel: point.travel, next: point.next } : { next: i };
  }

  /** The whole text as one AT(…) / BEFORE(…) clause (as after CLONE … in DDL). */
  pointInTime(): TimeTravel {
    const nodes = this.tree();
    const point = this.travelPoint(nodes, 0);
    if (!point || point.next !== nodes.length) throw syntaxError(tokenOf(nodes[point?.next ?? 0]) ?? (nodes[0] ? firstToken(nodes[0]) : undefined));
    return point.travel;
  }

  private travelPoint(nodes: Node[], i: number): { travel: TimeTravel; next: number } | undefined {
    if (!isWordNode(nodes[i], 'AT', 'BEFORE') || !isParen(nodes[i + 1])) return undefined;
    const mode = tokenOf(nodes[i])!.value as 'AT' | 'BEFORE';
    return { travel: this.travelArgs(nodes[i + 1] as Group, mode, tokenOf(nodes[i])!), next: i + 2 };
  }

  private travelArgs(group: Group, mode: 'AT' | 'BEFORE', token: Token): TimeTravel {
    const [kindNode, arrow, ...rest] = group.children;
    const kind = tokenOf(kindNode)?.value;
    if (!kind || !['TIMESTAMP', 'OFFSET', 'STATEMENT', 'STREAM'].includes(kind) || !isOpNode(arrow, '=>') || rest.length === 0) {
      throw syntaxError(tokenOf(kindNode) ?? group.open);
    }
    if (mode === 'BEFORE' && kind === 'STREAM') throw syntaxError(tokenOf(kindNode));
    return { mode, kind: kind as TimeTravel['kind'], sql: this.expr(rest), token };
  }

  /** TABLE(fn(args)). */
  private tableFunctionCall(inner: Node[], at: Token): string {
    const chain = this.nameChain(inner, 0);
    if (!chain || !isParen(inner[chain.next]) || chain.next + 1 !== inner.length) throw syntaxError(tokenOf(inner[0]) ?? at);
    return this.tableFunctionByName(chain.name, (inner[chain.next] as Group).children, chain.name.token);
  }

  private tableFunctionByName(name: ObjectName, argNodes: Node[], token: Token): string {
    const parts = name.parts.map((part) => part.name);
    const last = parts[parts.length - 1]!;
    const args = this.args(argNodes);
    if (parts.length === 1) {
      if (last === 'FLATTEN') return this.flatten(args, token);
      if (last === 'GENERATOR') return this.generator(args, token);
      if (last === 'SPLIT_TO_TABLE') {
        const [text, sep] = args;
        if (!text || !sep) throw syntaxError(token);
        return `(SELECT 1 AS "SEQ", CAST(generate_subscripts(string_split(${text.sql}, ${sep.sql}), 1) AS BIGINT) AS "INDEX", unnest(string_split(${text.sql}, ${sep.sql})) AS "VALUE")`;
      }
    }
    if (last !== 'RESULT_SCAN') this.readsData = true;
    return this.env.tableFunction(parts, args, token);
  }

  /** FLATTEN(INPUT => v [, PATH => 'a.b'] [, OUTER => TRUE] [, MODE => …]) as a lateral subquery. */
  private flatten(args: FunctionArg[], token: Token): string {
    const named = (key: string, position: number): FunctionArg | undefined =>
      args.find((arg) => arg.name === key) ?? (args[position] && !args[position]!.name ? args[position] : undefined);
    const input = named('INPUT', 0);
    if (!input) throw syntaxError(token);
    const path = named('PATH', 1);
    const outer = named('OUTER', 2);
    const mode = named('MODE', 4);
    if (named('RECURSIVE', 3) && /^TRUE$/i.test(named('RECURSIVE', 3)!.sql)) throw unsupported('FLATTEN with RECURSIVE => TRUE');
    const pathText = path ? literalText(path.sql) ?? '' : '';
    const source = path ? `sf_get_path(${input.sql}, ${path.sql})` : input.sql;
    const json = jsonSql(source);
    const modeText = mode ? (literalText(mode.sql) ?? 'BOTH').toUpperCase() : 'BOTH';
    const typeFilter = modeText === 'ARRAY' ? `json_type(${json}) = 'ARRAY'` : modeText === 'OBJECT' ? `json_type(${json}) = 'OBJECT'` : `json_type(${json}) IN ('ARRAY', 'OBJECT')`;
    const prefix = pathText ? quoteString(pathText) : "''";
    const columns = `1 AS "SEQ",
      CASE WHEN json_type(${json}) = 'OBJECT' THEN e.key END AS "KEY",
      CASE WHEN json_type(${json}) = 'ARRAY' THEN ${prefix} || '[' || e.key || ']' ELSE ${prefix} || CASE WHEN ${prefix} = '' THEN '' ELSE '.' END || e.key END AS "PATH",
      CASE WHEN json_type(${json}) = 'ARRAY' THEN CAST(e.key AS BIGINT) END AS "INDEX",
      CAST(e.value AS VARIANT) AS "VALUE",
      CAST(${json} AS VARIANT) AS "THIS"`;
    const isOuter = outer ? /^TRUE$/i.test(outer.sql.trim()) : false;
    if (isOuter) {
      return `(SELECT ${columns} FROM (SELECT 1) AS d LEFT JOIN (SELECT * FROM json_each(${json}) WHERE ${typeFilter}) AS e ON true)`;
    }
    return `(SELECT ${columns} FROM json_each(${json}) AS e WHERE ${typeFilter})`;
  }

  /** GENERATOR(ROWCOUNT => n): n rows and no meaningful columns. */
  private generator(args: FunctionArg[], token: Token): string {
    const rowcount = args.find((arg) => arg.name === 'ROWCOUNT') ?? args.find((arg) => !arg.name);
    if (!rowcount) {
      if (args.some((arg) => arg.name === 'TIMELIMIT')) throw unsupported('GENERATOR with only TIMELIMIT');
      throw syntaxError(token);
    }
    return `(SELECT NULL AS "GENERATOR_ROW" FROM range(CAST(${rowcount.sql} AS BIGINT)))`;
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  /** Function arguments: split on commas, `name => value` recognized. */
  args(nodes: Node[]): FunctionArg[] {
    return splitCommas(nodes).map((part) => {
      if (part.length >= 3 && isOpNode(part[1], '=>') && tokenOf(part[0])?.kind === 'word') {
        const rest = part.slice(2);
        return { name: tokenOf(part[0])!.value, sql: this.expr(rest), nodes: rest };
      }
      if (part.length === 0) throw syntaxError(undefined);
      return { sql: this.expr(part), nodes: part };
    });
  }

  /** An expression (or any run of nodes that is not a clause): translated piece by piece. */
  expr(nodes: Node[]): string {
    const out: string[] = [];
    let i = 0;
    while (i < nodes.length) {
      const node = nodes[i]!;
      const token = tokenOf(node);
      if (token && token.kind === 'op') {
        if (token.text === '/' && i + 1 < nodes.length) {
          const operand = this.primary(nodes, i + 1);
          out.push(`/ sf_nz(${operand.sql})`);
          i = operand.next;
          continue;
        }
        if (token.text === '=>') {
          out.push(':=');
          i++;
          continue;
        }
        out.push(token.text);
        i++;
        continue;
      }
      if (token && token.kind === 'word' && this.isKeywordHere(nodes, i)) {
        if (token.value === 'MINUS') out.push('EXCEPT');
        else if (token.value === 'CURRENT_TIME' || token.value === 'LOCALTIME') out.push('CAST(now() AS TIME)');
        else if (token.value === 'LOCALTIMESTAMP') out.push('sf_sysdate()');
        else out.push(token.value);
        i++;
        continue;
      }
      const primary = this.primary(nodes, i);
      const path = this.bare(primary.sql);
      const not = isWordNode(nodes[primary.next + 1], 'NOT') ? 1 : 0;
      if (path && isWordNode(nodes[primary.next], 'IS') && isWordNode(nodes[primary.next + 1 + not], 'NULL')) {
        // A JSON null is a value: only a missing key (or a NULL document) IS NULL.
        const present = `sf_has_key(${path.parent}, ${path.key})`;
        out.push(not ? `(${path.sql} IS NOT NULL OR ${present})` : `(${path.sql} IS NULL AND NOT ${present})`);
        i = primary.next + 2 + not;
        continue;
      }
      out.push(primary.sql);
      i = primary.next;
    }
    return out.join(' ');
  }

  /** The path step `sql` is exactly, if it is one. */
  private bare(sql: string): { sql: string; parent: string; key: string } | undefined {
    return this.lastPath && this.lastPath.sql === sql ? this.lastPath : undefined;
  }

  /** A path shown as a result column: JSON null as `null`, a missing key as NULL. */
  shownPath(sql: string): string {
    const path = this.bare(sql);
    return path ? `CASE WHEN sf_has_key(${path.parent}, ${path.key}) THEN CAST(${path.sql} AS JSON) END` : sql;
  }

  /** Whether the word at `i` is a keyword here rather than a name or a function. */
  private isKeywordHere(nodes: Node[], i: number): boolean {
    const token = tokenOf(nodes[i])!;
    const value = token.value;
    if (isParen(nodes[i + 1])) return NOT_FUNCTIONS.has(value);
    if (isOpNode(nodes[i + 1], '.') || isOpNode(nodes[i - 1], '.')) return false;
    return KEYWORDS.has(value);
  }

  /** One operand with its postfix operators (`::type`, `:path`, `[i]`, `.key` after a path). */
  primary(nodes: Node[], i: number): { sql: string; next: number } {
    const node = nodes[i];
    if (!node) throw syntaxError(undefined);
    let sql: string;
    let next = i + 1;
    const token = tokenOf(node);
    if (node.kind === 'group') {
      if (node.open.text === '(') {
        sql = startsQuery(node.children) ? `(${this.query(node.children)})` : `(${this.expr(node.children)})`;
      } else {
        // An array constant [1, 2].
        sql = `CAST(json_array(${this.args(node.children).map((arg) => jsonSql(arg.sql)).join(', ')}) AS VARIANT)`;
      }
    } else if (token!.kind === 'string') {
      sql = quoteString(token!.value);
    } else if (token!.kind === 'number') {
      sql = token!.text;
    } else if (token!.kind === 'variable') {
      if (/^\d+$/.test(token!.value)) sql = this.positional(Number(token!.value), token!);
      else sql = this.env.variable(token!.value, token!).sql;
    } else if (token!.kind === 'bind') {
      sql = this.env.bind(this.bindIndex(token!), token!).sql;
    } else if (token!.kind === 'word' && token!.value === 'X' && nodes[i + 1] && tokenOf(nodes[i + 1])?.kind === 'string' && tokenOf(nodes[i + 1])!.start === token!.start + 1) {
      sql = `unhex(${quoteString(tokenOf(nodes[i + 1])!.value)})`;
      next = i + 2;
    } else if (token!.kind === 'word' || token!.kind === 'quoted') {
      const chain = this.nameChain(nodes, i);
      if (!chain) throw syntaxError(token);
      next = chain.next;
      if (isParen(nodes[next]) && !(token!.kind === 'word' && NOT_FUNCTIONS.has(token!.value) && chain.name.parts.length === 1)) {
        const call = this.call(chain.name, nodes[next] as Group, nodes, next + 1);
        sql = call.sql;
        next = call.next;
      } else if (chain.name.parts.length >= 2 && !chain.name.parts[chain.name.parts.length - 1]!.quoted && chain.name.parts[chain.name.parts.length - 1]!.name === 'NEXTVAL') {
        sql = this.env.sequence({ parts: chain.name.parts.slice(0, -1), token: chain.name.token });
      } else if (isWordNode(nodes[i], 'IDENTIFIER')) {
        sql = chain.name.parts.map((part) => quoteName(part.name)).join('.');
      } else {
        sql = chain.name.parts.map((part, k) => this.namePartSql(part, chain.name.parts.length > 1 || k > 0)).join('.');
        if (isOpNode(nodes[next], '.') && isOpNode(nodes[next + 1], '*')) {
          sql += '.*';
          next += 2;
        }
      }
    } else if (token!.kind === 'stage') {
      throw compilationError(`a stage reference (${token!.text}) cannot be used here`);
    } else {
      throw syntaxError(token);
    }
    return this.postfix(sql, nodes, next);
  }

  private namePartSql(part: NamePart, qualified: boolean): string {
    if (part.quoted) return quoteName(part.name);
    if (qualified && DUCK_RESERVED.has(part.name)) return quoteName(part.name);
    if (!qualified && DUCK_RESERVED.has(part.name) && !KEYWORDS.has(part.name)) return quoteName(part.name);
    return part.name;
  }

  /**
   * The last path step compiled (`v:a.b` → parent `v:a`, key 'b'): DuckDB's VARIANT cannot tell a
   * JSON null from a missing key, so IS NULL, TYPEOF, IS_NULL_VALUE and a path shown as a result
   * column ask the parent whether the key is there.
   */
  private lastPath: { sql: string; parent: string; key: string } | undefined;

  private postfix(sql: string, nodes: Node[], i: number): { sql: string; next: number } {
    let inPath = false;
    const step = (parent: string, key: string): string => {
      const stepped = pathStep(parent, key);
      this.lastPath = { sql: stepped, parent, key: /^\d+$/.test(key) ? `CAST(${Number(key) + 1} AS UINTEGER)` : key };
      return stepped;
    };
    for (;;) {
      const node = nodes[i];
      if (isOpNode(node, '::')) {
        const typed = this.castTarget(nodes, i + 1);
        sql = castSql(sql, typed.type, false);
        i = typed.next;
        inPath = false;
        continue;
      }
      if (isOpNode(node, ':')) {
        const key = tokenOf(nodes[i + 1]);
        if (!key || (key.kind !== 'word' && key.kind !== 'quoted' && key.kind !== 'string')) throw syntaxError(key ?? tokenOf(node));
        // Path keys are case-sensitive: an unquoted key is used exactly as written.
        const name = key.kind === 'word' ? key.text : key.value;
        sql = step(sql, quoteString(name));
        i += 2;
        inPath = true;
        continue;
      }
      if (inPath && isOpNode(node, '.')) {
        const key = tokenOf(nodes[i + 1]);
        if (!key || (key.kind !== 'word' && key.kind !== 'quoted')) throw syntaxError(key ?? tokenOf(node));
        sql = step(sql, quoteString(key.kind === 'word' ? key.text : key.value));
        i += 2;
        continue;
      }
      if (isBracket(node)) {
        const index = this.expr(node.children);
        sql = /^\d+$/.test(index.trim()) || literalText(index) !== undefined ? step(sql, index.trim()) : `sf_get(${sql}, ${index})`;
        i++;
        inPath = true;
        continue;
      }
      return { sql, next: i };
    }
  }

  private castTarget(nodes: Node[], i: number): { type: SnowflakeType; next: number } {
    // Read the type from the tokens of the nodes that follow (a type may carry a (p, s) group).
    const tokens: Token[] = [];
    const first = tokenOf(nodes[i]);
    if (!first) throw syntaxError(first);
    tokens.push(first);
    let k = i + 1;
    if (isWordNode(nodes[k], 'PRECISION', 'VARYING')) tokens.push(tokenOf(nodes[k++])!);
    if (isParen(nodes[k])) {
      const group = nodes[k] as Group;
      tokens.push(group.open, ...group.children.map((n) => tokenOf(n)!).filter(Boolean), group.close);
      k++;
    }
    const { type } = readType(tokens, 0);
    return { type, next: k };
  }

  /** `$1` in a query over staged files is the first column of the file. */
  private positional(n: number, token: Token): string {
    if (!this.stageColumns) throw compilationError(`$${n} can only be used when selecting from a stage (error line ${token.line} at position ${token.column})`);
    return this.stageColumns(n, token);
  }

  /** Set while translating a query over staged files: maps $n to a column. */
  stageColumns: ((n: number, token: Token) => string) | undefined;

  private bindIndex(token: Token): number {
    if (token.text === '?') return ++this.bindCounter;
    return Number(token.value);
  }

  /** A function call `name(args)` followed by its trailing clauses (WITHIN GROUP, OVER, FILTER). */
  private call(name: ObjectName, group: Group, nodes: Node[], after: number): { sql: string; next: number } {
    const parts = name.parts.map((part) => part.name);
    const fn = parts[parts.length - 1]!.toUpperCase();
    const token = name.token;
    const children = group.children;
    let next = after;
    const within = (): string | undefined => {
      if (isWordNode(nodes[next], 'WITHIN') && isWordNode(nodes[next + 1], 'GROUP') && isParen(nodes[next + 2])) {
        const order = (nodes[next + 2] as Group).children;
        next += 3;
        return this.expr(order);
      }
      return undefined;
    };
    const over = (): string => {
      let tail = '';
      if (isWordNode(nodes[next], 'FILTER') && isParen(nodes[next + 1])) {
        tail += ` FILTER (${this.expr((nodes[next + 1] as Group).children)})`;
        next += 2;
      }
      if (isWordNode(nodes[next], 'IGNORE', 'RESPECT') && isWordNode(nodes[next + 1], 'NULLS')) {
        tail += ` ${tokenOf(nodes[next])!.value} NULLS`;
        next += 2;
      }
      if (isWordNode(nodes[next], 'OVER')) {
        const spec = nodes[next + 1];
        if (isParen(spec)) {
          tail += ` OVER (${this.expr(spec.children)})`;
          next += 2;
        } else if (spec && tokenOf(spec)) {
          tail += ` OVER ${quoteName(tokenOf(spec)!.value)}`;
          next += 2;
        }
      }
      return tail;
    };

    if (parts.length > 1 && !(parts.length === 2 && parts[0] === 'SNOWFLAKE')) {
      throw compilationError(`Unknown function ${parts.join('.')}`);
    }
    if (fn.startsWith('SYSTEM$') || ENGINE_FUNCTIONS.has(fn)) {
      const answer = this.env.engineFunction(fn, this.args(children), token);
      if (answer === undefined) throw compilationError(`Unknown function ${fn}`);
      return { sql: answer, next };
    }
    const args = (): FunctionArg[] => this.args(children);
    const distinct = isWordNode(children[0], 'DISTINCT');
    const body = distinct ? children.slice(1) : children;

    switch (fn) {
      case 'CAST':
      case 'TRY_CAST': {
        const asAt = children.findIndex((n) => isWordNode(n, 'AS'));
        if (asAt < 1) throw syntaxError(group.open);
        const typed = this.castTarget(children, asAt + 1);
        return { sql: castSql(this.expr(children.slice(0, asAt)), typed.type, fn === 'TRY_CAST'), next };
      }
      case 'DATEADD':
      case 'TIMEADD':
      case 'TIMESTAMPADD': {
        const [part, amount, date] = args();
        if (!part || !amount || !date) throw syntaxError(group.close);
        const unit = datePart(part, token);
        if (['dow', 'doy', 'epoch'].includes(unit)) throw compilationError(`invalid date part ${unit} for ${fn}`);
        return { sql: `sf_dateadd_${unit}(${amount.sql}, ${date.sql})`, next };
      }
      case 'DATEDIFF':
      case 'TIMESTAMPDIFF':
      case 'TIMEDIFF': {
        const [part, a, b] = args();
        if (!part || !a || !b) throw syntaxError(group.close);
        return { sql: `sf_datediff('${datePart(part, token)}', ${a.sql}, ${b.sql})`, next };
      }
      case 'DATE_TRUNC': {
        const [part, date] = args();
        if (!part || !date) throw syntaxError(group.close);
        return { sql: `date_trunc('${datePart(part, token)}', ${date.sql})`, next };
      }
      case 'TRUNC': {
        const list = args();
        const unitText = list[1] ? literalText(list[1].sql) : undefined;
        if (list.length === 2 && unitText && DATE_PARTS[unitText.toUpperCase()]) {
          return { sql: `date_trunc('${DATE_PARTS[unitText.toUpperCase()]}', ${list[0]!.sql})`, next };
        }
        return { sql: `trunc(${list.map((a) => a.sql).join(', ')})`, next };
      }
      case 'DATE_PART': {
        const [part, date] = args();
        if (!part || !date) throw syntaxError(group.close);
        return { sql: `date_part('${datePart(part, token)}', ${date.sql})`, next };
      }
      case 'EXTRACT': {
        const fromAt = children.findIndex((n) => isWordNode(n, 'FROM'));
        if (fromAt !== 1) throw syntaxError(group.open);
        const part = datePart({ sql: '', nodes: [children[0]!] }, token);
        return { sql: `date_part('${part}', ${this.expr(children.slice(2))})`, next };
      }
      case 'LAST_DAY': {
        const [date] = args();
        if (!date) throw syntaxError(group.close);
        return { sql: `last_day(${date.sql})`, next };
      }
      case 'LISTAGG': {
        const list = this.args(body);
        const order = within();
        const separator = list[1]?.sql ?? "''";
        const value = `CAST(${list[0]?.sql ?? 'NULL'} AS VARCHAR)`;
        const tail = over();
        return { sql: `coalesce(string_agg(${distinct ? 'DISTINCT ' : ''}${value}, ${separator}${order ? ` ${order}` : ''})${tail}, '')`, next };
      }
      case 'ARRAY_AGG':
      case 'ARRAYAGG': {
        const list = this.args(body);
        const order = within();
        const value = list[0]?.sql ?? 'NULL';
        const tail = over();
        return {
          sql: `CAST(to_json(coalesce(list(${distinct ? 'DISTINCT ' : ''}${jsonSql(value)}${order ? ` ${order}` : ''}) FILTER (WHERE ${value} IS NOT NULL)${tail}, [])) AS VARIANT)`,
          next,
        };
      }
      case 'OBJECT_AGG': {
        const [key, value] = args();
        if (!key || !value) throw syntaxError(group.close);
        const tail = over();
        return { sql: `CAST(sf_object_strip(json_group_object(${key.sql}, ${jsonSql(value.sql)})${tail}) AS VARIANT)`, next };
      }
      case 'PERCENTILE_CONT':
      case 'PERCENTILE_DISC':
      case 'MODE': {
        const order = within();
        const tail = over();
        return { sql: `${fn.toLowerCase()}(${this.expr(children)})${order ? ` WITHIN GROUP (${order})` : ''}${tail}`, next };
      }
      case 'OBJECT_CONSTRUCT':
      case 'OBJECT_CONSTRUCT_KEEP_NULL': {
        if (children.length === 1 && isOpNode(children[0], '*')) throw unsupported('OBJECT_CONSTRUCT(*)');
        const list = args();
        if (list.length % 2 !== 0) throw compilationError(`${fn} expects an even number of arguments`);
        if (list.length === 0) return { sql: `CAST(json('{}') AS VARIANT)`, next };
        const pairs: string[] = [];
        for (let k = 0; k < list.length; k += 2) pairs.push(`CAST(${list[k]!.sql} AS VARCHAR), ${jsonSql(list[k + 1]!.sql)}`);
        const object = `json_object(${pairs.join(', ')})`;
        return { sql: `CAST(${fn === 'OBJECT_CONSTRUCT' ? `sf_object_strip(${object})` : object} AS VARIANT)`, next };
      }
      case 'ARRAY_CONSTRUCT':
      case 'ARRAY_CONSTRUCT_COMPACT': {
        const list = args();
        if (list.length === 0) return { sql: `CAST(json('[]') AS VARIANT)`, next };
        const values = list.map((arg) => jsonSql(arg.sql));
        if (fn === 'ARRAY_CONSTRUCT') return { sql: `CAST(json_array(${values.join(', ')}) AS VARIANT)`, next };
        return { sql: `CAST(to_json(list_filter([${values.join(', ')}], x -> x IS NOT NULL AND CAST(x AS VARCHAR) <> 'null')) AS VARIANT)`, next };
      }
      case 'DECODE': {
        const list = args();
        if (list.length < 3) throw compilationError('not enough arguments for function [DECODE]');
        const [subject, ...rest] = list;
        let sql = 'CASE';
        for (let k = 0; k + 1 < rest.length; k += 2) sql += ` WHEN ${subject!.sql} IS NOT DISTINCT FROM ${rest[k]!.sql} THEN ${rest[k + 1]!.sql}`;
        if (rest.length % 2 === 1) sql += ` ELSE ${rest[rest.length - 1]!.sql}`;
        return { sql: `${sql} END`, next };
      }
      case 'CONCAT': {
        const list = args();
        if (list.length === 0) throw compilationError('not enough arguments for function [CONCAT()]');
        return { sql: `(${list.map((arg) => `sf_to_varchar(${arg.sql})`).join(' || ')})`, next };
      }
      case 'CONCAT_WS': {
        const [separator, ...rest] = args();
        if (!separator || rest.length === 0) throw compilationError('not enough arguments for function [CONCAT_WS()]');
        return { sql: `(${rest.map((arg) => `sf_to_varchar(${arg.sql})`).join(` || ${separator.sql} || `)})`, next };
      }
      case 'HASH': {
        if (children.length === 1 && isOpNode(children[0], '*')) throw unsupported('HASH(*)');
        return { sql: `sf_hash(hash(${args().map((a) => a.sql).join(', ')}))`, next };
      }
      case 'REGEXP_REPLACE': {
        const list = args();
        if (list.length < 2) throw syntaxError(group.close);
        return { sql: `regexp_replace(${list[0]!.sql}, ${list[1]!.sql}, ${list[2]?.sql ?? "''"}, 'g')`, next };
      }
      case 'REPLACE': {
        const list = args();
        if (list.length === 2) return { sql: `replace(${list[0]!.sql}, ${list[1]!.sql}, '')`, next };
        return { sql: `replace(${list.map((a) => a.sql).join(', ')})`, next };
      }
      case 'POSITION': {
        if (children.some((n) => isWordNode(n, 'IN'))) return { sql: `position(${this.expr(children)})`, next };
        const [sub, text, from] = args();
        if (!sub || !text) throw syntaxError(group.close);
        return { sql: from ? `sf_charindex(${sub.sql}, ${text.sql}, ${from.sql})` : `instr(${text.sql}, ${sub.sql})`, next };
      }
      case 'CURRENT_TIMESTAMP':
      case 'NOW':
        return { sql: 'now()', next };
      case 'CURRENT_DATE':
        return { sql: 'current_date', next };
      case 'CURRENT_TIME':
      case 'LOCALTIME':
        return { sql: 'CAST(now() AS TIME)', next };
      case 'SEQ1':
      case 'SEQ2':
      case 'SEQ4':
      case 'SEQ8':
        return { sql: '(row_number() OVER () - 1)', next };
      case 'TO_VARCHAR':
      case 'TO_CHAR':
      case 'TO_DATE':
      case 'DATE':
      case 'TO_TIMESTAMP':
      case 'TO_TIMESTAMP_NTZ':
      case 'TO_TIMESTAMP_LTZ':
      case 'TO_TIMESTAMP_TZ':
      case 'TRY_TO_DATE':
      case 'TRY_TO_TIMESTAMP':
      case 'TRY_TO_TIMESTAMP_NTZ':
      case 'TO_TIME':
      case 'TIME': {
        const list = args();
        const format = list[1] ? literalText(list[1].sql) : undefined;
        const renamed = FUNCTION_RENAMES[fn]!;
        if (list.length === 2 && format !== undefined && !/^(AUTO)$/i.test(format)) {
          return { sql: `${renamed}(${list[0]!.sql}, ${quoteString(strftimeFormat(format))})`, next };
        }
        if (list.length === 2 && format !== undefined) return { sql: `${renamed}(${list[0]!.sql})`, next };
        return { sql: `${renamed}(${list.map((a) => a.sql).join(', ')})`, next };
      }
      case 'TO_NUMBER':
      case 'TO_DECIMAL':
      case 'TO_NUMERIC':
      case 'TRY_TO_NUMBER':
      case 'TRY_TO_DECIMAL':
      case 'TRY_TO_NUMERIC': {
        const list = args();
        if (list.length === 0) throw syntaxError(group.close);
        // TO_NUMBER(x [, format] [, precision [, scale]])
        const rest = list.slice(1).filter((arg) => literalText(arg.sql) === undefined);
        const precision = rest[0] ? Number(rest[0].sql) : 38;
        const scale = rest[1] ? Number(rest[1].sql) : 0;
        const cast = fn.startsWith('TRY_') ? 'TRY_CAST' : 'CAST';
        const source = `sf_numeric_text(${list[0]!.sql})`;
        return { sql: `${cast}(${source} AS DECIMAL(${precision},${scale}))`, next };
      }
      case 'IFF': {
        const list = args();
        if (list.length !== 3) throw compilationError(`not enough arguments for function [IFF]`);
        return { sql: `CASE WHEN ${list[0]!.sql} THEN ${list[1]!.sql} ELSE ${list[2]!.sql} END`, next };
      }
      case 'COUNT': {
        if (distinct && splitCommas(body).length > 1) {
          const list = this.args(body);
          const tail = over();
          return { sql: `count(DISTINCT (${list.map((a) => a.sql).join(', ')}))${tail}`, next };
        }
        break;
      }
      case 'IDENTIFIER':
        break;
      default:
        break;
    }
    if ((fn === 'TYPEOF' || fn === 'IS_NULL_VALUE') && !distinct) {
      const list = args();
      const path = list.length === 1 ? this.bare(list[0]!.sql) : undefined;
      if (path) {
        const present = `sf_has_key(${path.parent}, ${path.key})`;
        const answer = fn === 'TYPEOF' ? `CASE WHEN ${path.sql} IS NULL THEN 'NULL_VALUE' ELSE sf_typeof(${path.sql}) END` : `${path.sql} IS NULL`;
        return { sql: `(CASE WHEN ${present} THEN ${answer} END)`, next };
      }
    }
    const renamed = FUNCTION_RENAMES[fn];
    const argSql = distinct ? `DISTINCT ${this.expr(body)}` : this.args(children).map((a) => (a.name ? `${a.name.toLowerCase()} := ${a.sql}` : a.sql)).join(', ');
    const head = renamed ?? (parts.length === 2 ? fn.toLowerCase() : fn.toLowerCase());
    const order = within();
    const tail = over();
    return { sql: `${head}(${argSql}${order ? ` ${order}` : ''})${tail}`, next };
  }

  // ---------------------------------------------------------------------------------------------
  // DML

  /** INSERT [OVERWRITE] INTO t [(cols)] VALUES … | query. */
  insert(): { sql: string; overwrite: boolean; target: TargetTable } {
    const nodes = this.tree();
    let i = 1;
    let overwrite = false;
    if (isWordNode(nodes[i], 'OVERWRITE')) {
      overwrite = true;
      i++;
    }
    if (isWordNode(nodes[i], 'ALL', 'FIRST')) throw unsupported('multi-table INSERT');
    if (!isWordNode(nodes[i], 'INTO')) throw syntaxError(tokenOf(nodes[i]) ?? (nodes[i] ? firstToken(nodes[i]!) : undefined));
    i++;
    const chain = this.nameChain(nodes, i);
    if (!chain) throw syntaxError(tokenOf(nodes[i]));
    i = chain.next;
    const target = this.env.target(chain.name, 'INSERT');
    let columns = target.columns;
    if (isParen(nodes[i]) && !startsQuery((nodes[i] as Group).children)) {
      columns = splitCommas((nodes[i] as Group).children).map((part) => {
        const token = tokenOf(part[part.length - 1]);
        if (!token || (token.kind !== 'word' && token.kind !== 'quoted')) throw syntaxError(token);
        return quoteName(token.value);
      });
      i++;
    }
    const source = nodes.slice(i);
    if (source.length === 0) throw syntaxError(undefined);
    const sourceSql = isWordNode(source[0], 'VALUES') ? `VALUES ${this.expr(source.slice(1))}` : this.query(source);
    return { sql: `INSERT INTO ${target.sql} (${columns.join(', ')}) ${sourceSql}`, overwrite, target };
  }

  /** UPDATE t [alias] SET … [FROM …] [WHERE …]. */
  update(): { sql: string; target: TargetTable } {
    const nodes = this.tree();
    const chain = this.nameChain(nodes, 1);
    if (!chain) throw syntaxError(tokenOf(nodes[1]));
    const target = this.env.target(chain.name, 'UPDATE');
    let i = chain.next;
    const alias = this.dmlAlias(nodes, i, ['SET']);
    i = alias.next;
    if (!isWordNode(nodes[i], 'SET')) throw syntaxError(tokenOf(nodes[i]));
    i++;
    let end = i;
    while (end < nodes.length && !isWordNode(nodes[end], 'FROM', 'WHERE')) end++;
    const assignments = this.assignments(nodes.slice(i, end));
    i = end;
    const out = [`UPDATE ${target.sql} AS ${quoteName(alias.name ?? target.alias)} SET ${assignments}`];
    this.sourcesAndWhere(nodes, i, 'FROM', out);
    return { sql: out.join(' '), target };
  }

  /** The `FROM …` (UPDATE) or `USING …` (DELETE) list and the WHERE clause that end a DML statement. */
  private sourcesAndWhere(nodes: Node[], i: number, word: 'FROM' | 'USING', out: string[]): void {
    if (isWordNode(nodes[i], word)) {
      out.push(word);
      i = this.fromList(nodes, i + 1, out);
    }
    if (isWordNode(nodes[i], 'WHERE')) {
      out.push(`WHERE ${this.expr(nodes.slice(i + 1))}`);
      i = nodes.length;
    }
    if (i < nodes.length) throw syntaxError(firstToken(nodes[i]!));
  }

  /** DELETE FROM t [alias] [USING …] [WHERE …]. */
  delete(): { sql: string; target: TargetTable } {
    const nodes = this.tree();
    if (!isWordNode(nodes[1], 'FROM')) throw syntaxError(tokenOf(nodes[1]));
    const chain = this.nameChain(nodes, 2);
    if (!chain) throw syntaxError(tokenOf(nodes[2]));
    const target = this.env.target(chain.name, 'DELETE');
    let i = chain.next;
    const alias = this.dmlAlias(nodes, i, ['USING', 'WHERE']);
    i = alias.next;
    const out = [`DELETE FROM ${target.sql} AS ${quoteName(alias.name ?? target.alias)}`];
    this.sourcesAndWhere(nodes, i, 'USING', out);
    return { sql: out.join(' '), target };
  }

  /** MERGE INTO t [alias] USING src [alias] ON … WHEN …. */
  merge(): { sql: string; target: TargetTable } {
    const nodes = this.tree();
    if (!isWordNode(nodes[1], 'INTO')) throw syntaxError(tokenOf(nodes[1]));
    const chain = this.nameChain(nodes, 2);
    if (!chain) throw syntaxError(tokenOf(nodes[2]));
    const target = this.env.target(chain.name, 'MERGE');
    let i = chain.next;
    const alias = this.dmlAlias(nodes, i, ['USING']);
    i = alias.next;
    if (!isWordNode(nodes[i], 'USING')) throw syntaxError(tokenOf(nodes[i]));
    const out = [`MERGE INTO ${target.sql} AS ${quoteName(alias.name ?? target.alias)} USING`];
    i = this.fromItem(nodes, i + 1, out);
    if (!isWordNode(nodes[i], 'ON')) throw syntaxError(tokenOf(nodes[i]));
    let end = i + 1;
    while (end < nodes.length && !isWordNode(nodes[end], 'WHEN')) end++;
    out.push(`ON ${this.expr(nodes.slice(i + 1, end))}`);
    i = end;
    while (i < nodes.length) {
      if (!isWordNode(nodes[i], 'WHEN')) throw syntaxError(firstToken(nodes[i]!));
      let thenAt = i + 1;
      while (thenAt < nodes.length && !isWordNode(nodes[thenAt], 'THEN')) thenAt++;
      const head = nodes.slice(i + 1, thenAt);
      const andAt = head.findIndex((n) => isWordNode(n, 'AND'));
      const matchWords = (andAt < 0 ? head : head.slice(0, andAt)).map((n) => tokenOf(n)?.value ?? '').join(' ');
      const condition = andAt < 0 ? '' : ` AND ${this.expr(head.slice(andAt + 1))}`;
      let clauseEnd = thenAt + 1;
      while (clauseEnd < nodes.length && !isWordNode(nodes[clauseEnd], 'WHEN')) clauseEnd++;
      const action = nodes.slice(thenAt + 1, clauseEnd);
      out.push(`WHEN ${matchWords}${condition} THEN ${this.mergeAction(action, target)}`);
      i = clauseEnd;
    }
    return { sql: out.join(' '), target };
  }

  private mergeAction(action: Node[], target: TargetTable): string {
    if (isWordNode(action[0], 'DELETE')) return 'DELETE';
    if (isWordNode(action[0], 'UPDATE') && isWordNode(action[1], 'SET')) return `UPDATE SET ${this.assignments(action.slice(2))}`;
    if (isWordNode(action[0], 'INSERT')) {
      let k = 1;
      let columns = target.columns;
      if (isParen(action[k])) {
        columns = splitCommas((action[k] as Group).children).map((part) => quoteName(tokenOf(part[part.length - 1])!.value));
        k++;
      }
      if (!isWordNode(action[k], 'VALUES') || !isParen(action[k + 1])) throw syntaxError(tokenOf(action[k]));
      return `INSERT (${columns.join(', ')}) VALUES (${this.expr((action[k + 1] as Group).children)})`;
    }
    throw syntaxError(tokenOf(action[0]));
  }

  /** `a = 1, t.b = x`: targets lose their qualifier, as DuckDB wants. */
  private assignments(nodes: Node[]): string {
    return splitCommas(nodes)
      .map((part) => {
        const eq = part.findIndex((n) => isOpNode(n, '='));
        if (eq < 1) throw syntaxError(tokenOf(part[0]));
        const column = tokenOf(part[eq - 1]);
        if (!column || (column.kind !== 'word' && column.kind !== 'quoted')) throw syntaxError(column);
        return `${quoteName(column.value)} = ${this.expr(part.slice(eq + 1))}`;
      })
      .join(', ');
  }

  private dmlAlias(nodes: Node[], i: number, stops: string[]): { name?: string; next: number } {
    if (isWordNode(nodes[i], 'AS')) {
      const token = tokenOf(nodes[i + 1]);
      if (!token || (token.kind !== 'word' && token.kind !== 'quoted')) throw syntaxError(token);
      return { name: token.value, next: i + 2 };
    }
    const token = tokenOf(nodes[i]);
    if (token && (token.kind === 'quoted' || (token.kind === 'word' && !stops.includes(token.value)))) return { name: token.value, next: i + 1 };
    return { next: i };
  }
}

/** Snowflake's reserved words: never a table name. */
const RESERVED = new Set([
  'ALL', 'ALTER', 'AND', 'ANY', 'AS', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CHECK', 'COLUMN', 'CONNECT', 'CREATE', 'CROSS', 'CURRENT',
  'DELETE', 'DISTINCT', 'DROP', 'ELSE', 'EXISTS', 'FALSE', 'FOLLOWING', 'FOR', 'FROM', 'FULL', 'GRANT', 'GROUP', 'HAVING', 'ILIKE',
  'IN', 'INCREMENT', 'INNER', 'INSERT', 'INTERSECT', 'INTO', 'IS', 'JOIN', 'LATERAL', 'LEFT', 'LIKE', 'MINUS', 'NATURAL', 'NOT',
  'NULL', 'OF', 'ON', 'OR', 'ORDER', 'QUALIFY', 'REGEXP', 'REVOKE', 'RIGHT', 'RLIKE', 'ROW', 'ROWS', 'SAMPLE', 'SELECT', 'SET',
  'SOME', 'START', 'TABLE', 'TABLESAMPLE', 'THEN', 'TO', 'TRIGGER', 'TRUE', 'TRY_CAST', 'UNION', 'UNIQUE', 'UPDATE', 'USING',
  'VALUES', 'WHEN', 'WHENEVER', 'WHERE', 'WITH', 'LIMIT', 'OFFSET',
]);

/** Keywords that pass through as they are (never names). */
const KEYWORDS = new Set([
  ...CLAUSE_WORDS, ...JOIN_WORDS, ...NOT_FUNCTIONS, 'BY', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AND', 'OR', 'NOT', 'NULL',
  'TRUE', 'FALSE', 'IS', 'IN', 'LIKE', 'ILIKE', 'BETWEEN', 'AS', 'ON', 'DISTINCT', 'ALL', 'ANY', 'SOME', 'EXISTS', 'ASC',
  'DESC', 'NULLS', 'FIRST', 'LAST', 'OVER', 'PARTITION', 'ROWS', 'RANGE', 'UNBOUNDED', 'PRECEDING', 'FOLLOWING', 'CURRENT',
  'ROW', 'INTERVAL', 'ESCAPE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME',
  'DAY', 'DAYS', 'HOUR', 'HOURS', 'MINUTE', 'MINUTES', 'SECOND', 'SECONDS', 'MONTH', 'MONTHS', 'YEAR', 'YEARS', 'WEEK',
  'WEEKS', 'QUARTER', 'MILLISECOND', 'MILLISECONDS', 'MICROSECOND', 'MICROSECONDS', 'REPLACE', 'EXCLUDE', 'RENAME',
  'IGNORE', 'RESPECT', 'NEXT', 'ONLY', 'TIES', 'PERCENT', 'RECURSIVE', 'COLLATE', 'REGEXP', 'RLIKE', 'GROUPS', 'EXCLUDE',
  'CUBE', 'ROLLUP', 'GROUPING', 'SETS', 'DEFAULT', 'MATCHED', 'TO', 'BOTH', 'LEADING', 'TRAILING', 'FOR',
]);

/**
 * Any value as JSON text. Plain casts rather than a typed macro: DuckDB cannot pick a macro overload
 * for a correlated column (inside LATERAL), and through VARIANT every type becomes the right JSON.
 */
function jsonSql(sql: string): string {
  return `CAST(CAST(${sql} AS VARIANT) AS JSON)`;
}

/** One constant step of a path: a quoted key or a 0-based index (DuckDB's VARIANT indexes from 1). */
function pathStep(sql: string, key: string): string {
  const step = /^\d+$/.test(key) ? `CAST(${Number(key) + 1} AS UINTEGER)` : key;
  return `variant_extract(CAST(${sql} AS VARIANT), ${step})`;
}

/** Whether nodes start a query (SELECT, WITH, VALUES, or a parenthesized query). */
export function startsQuery(nodes: Node[]): boolean {
  const first = nodes[0];
  if (isWordNode(first, 'SELECT', 'WITH')) return true;
  if (isWordNode(first, 'VALUES')) return true;
  if (isParen(first) && startsQuery(first.children)) {
    // (SELECT …) UNION (SELECT …) or ((SELECT …)) — a query only if what follows is a set operator or nothing.
    const after = nodes[1];
    return !after || isWordNode(after, 'UNION', 'EXCEPT', 'MINUS', 'INTERSECT', 'ORDER', 'LIMIT');
  }
  return false;
}

/** Whether nodes are a plain column reference (name, t.name, db.s.t.name): DuckDB names those right already. */
function isColumnReference(nodes: Node[]): boolean {
  return nodes.length % 2 === 1 && nodes.every((node, k) => (k % 2 === 1 ? isOpNode(node, '.') : ['word', 'quoted'].includes(tokenOf(node)?.kind ?? '') && !(tokenOf(node)!.kind === 'word' && KEYWORDS.has(tokenOf(node)!.value))));
}

/** Whether a node can end a value (so a following name is an alias). */
function endsValue(node: Node): boolean {
  if (node.kind === 'group') return true;
  const token = node.token;
  if (token.kind === 'op') return false;
  if (token.kind === 'word') return !KEYWORDS.has(token.value) || ['END', 'NULL', 'TRUE', 'FALSE', 'CURRENT_DATE', 'CURRENT_TIMESTAMP'].includes(token.value);
  return true;
}

function upperOutsideQuotes(text: string): string {
  let out = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    out += quoted ? ch : ch.toUpperCase();
  }
  return out;
}

function datePart(arg: FunctionArg, token: Token): string {
  const node = arg.nodes[0];
  const t = tokenOf(node);
  const raw = t?.kind === 'string' ? t.value.toUpperCase() : t?.kind === 'word' ? t.value : undefined;
  const part = raw ? DATE_PARTS[raw] : undefined;
  if (!part || arg.nodes.length !== 1) throw compilationError(`Invalid date/time part ${t?.text ?? ''} (error line ${token.line} at position ${token.column})`);
  return part;
}

/** CAST(x AS type) the Snowflake way: VARCHAR of a VARIANT is its string, OBJECT/ARRAY are VARIANT. */
export function castSql(sql: string, type: SnowflakeType, tryCast: boolean): string {
  if (type.base === 'VARCHAR' && !tryCast) return `${CAST_MACROS.VARCHAR}(${sql})`;
  if (type.base === 'VARIANT' || type.base === 'OBJECT' || type.base === 'ARRAY') return `CAST(${sql} AS VARIANT)`;
  if (type.base === 'BOOLEAN' && !tryCast) return `sf_to_boolean(${sql})`;
  if (type.base === 'NUMBER') return `${tryCast ? 'TRY_CAST' : 'CAST'}(sf_numeric_text(${sql}) AS ${duckType(type)})`;
  if (type.base.startsWith('TIMESTAMP')) return `${tryCast ? 'TRY_CAST' : 'CAST'}(sf_tz_text(${sql}) AS ${duckType(type)})`;
  return `${tryCast ? 'TRY_CAST' : 'CAST'}(${sql} AS ${duckType(type)})`;
}
