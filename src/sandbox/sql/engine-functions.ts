// Functions whose answer comes from the session or the sandbox rather than from DuckDB:
// CURRENT_USER() and friends, LAST_QUERY_ID(), and the SYSTEM$ functions runbooks call
// (STREAM_HAS_DATA, CLUSTERING_INFORMATION, SEND_EMAIL, WAIT, CANCEL_QUERY, …) plus the sandbox's
// own SYSTEM$SANDBOX_PUT for filling stages. Each returns SQL; side effects are queued on the
// statement and run before its query.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxError } from '../engine-api.js';
import { compilationError, insufficientPrivileges, notFound } from './errors.js';
import type { Execution } from './execution.js';
import { tableSql } from './history.js';
import { constantText, locate, type Resolver } from './resolve.js';
import { resolveStage } from './stages.js';
import { resumeTaskTree } from './tasks.js';
import { quoteString, type Token } from './tokens.js';
import { Translator, type FunctionArg } from './translate.js';

const NULL_TEXT = 'CAST(NULL AS VARCHAR)';

function text(value: string | null): string {
  return value === null ? NULL_TEXT : quoteString(value);
}

/** The SQL for an engine-answered function, or undefined if the name is not one. */
export function engineFunction(x: Execution, resolver: Resolver, name: string, args: FunctionArg[], token: Token): string | undefined {
  const session = x.session;
  switch (name) {
    case 'CURRENT_ACCOUNT':
    case 'CURRENT_ACCOUNT_NAME':
      return text(x.engine.account.toUpperCase());
    case 'CURRENT_ORGANIZATION_NAME':
      return text('SANDBOX_ORG');
    case 'CURRENT_USER':
      return text(session.user);
    case 'CURRENT_ROLE':
      return text(session.role);
    case 'CURRENT_ROLE_TYPE':
      return text('ROLE');
    case 'CURRENT_WAREHOUSE':
      return text(session.warehouse);
    case 'CURRENT_DATABASE':
      return text(session.database);
    case 'CURRENT_SCHEMA':
      return text(session.schema);
    case 'CURRENT_SCHEMAS':
      return text(JSON.stringify(session.database && session.schema ? [`${session.database}.${session.schema}`] : []));
    case 'CURRENT_SESSION':
      return text(session.id);
    case 'CURRENT_REGION':
      return text('SANDBOX_LOCAL');
    case 'CURRENT_VERSION':
      return text('9.0.0');
    case 'CURRENT_CLIENT':
      return text('JavaScript');
    case 'CURRENT_STATEMENT':
      return text(x.sql);
    case 'CURRENT_TRANSACTION':
      return text(session.inTransaction ? session.id : null);
    case 'CURRENT_IP_ADDRESS':
      return text(session.clientIp);
    case 'CURRENT_AVAILABLE_ROLES':
      return text(JSON.stringify([...x.access.usableRoles(session.user)].sort()));
    case 'CURRENT_SECONDARY_ROLES':
      return text(JSON.stringify({ roles: '', value: '' }));
    case 'IS_ROLE_IN_SESSION':
    case 'IS_GRANTED_TO_INVOKER_ROLE': {
      const role = constantText(args[0], `${name} argument`).toUpperCase();
      return x.roles().has(role) ? 'TRUE' : 'FALSE';
    }
    case 'LAST_QUERY_ID': {
      const n = args[0] ? Number(constantText(args[0], 'LAST_QUERY_ID argument')) : -1;
      const ids = session.queryIds;
      const id = n >= 0 ? ids[n - 1] : ids[ids.length + n];
      return text(id ?? null);
    }
    case 'LAST_TRANSACTION':
      return text(null);
    default:
      return systemFunction(x, resolver, name, args, token);
  }
}

function systemFunction(x: Execution, resolver: Resolver, name: string, args: FunctionArg[], token: Token): string | undefined {
  switch (name) {
    case 'SYSTEM$TYPEOF':
      return `sf_typeof(${args[0]?.sql ?? 'NULL'})`;
    case 'SYSTEM$STREAM_HAS_DATA': {
      const stream = constantText(args[0], 'SYSTEM$STREAM_HAS_DATA argument');
      return `(SELECT count(*) > 0 FROM ${resolver.streamChanges(stream)})`;
    }
    case 'SYSTEM$CLUSTERING_INFORMATION':
    case 'SYSTEM$CLUSTERING_DEPTH':
      return clusteringInformation(x, resolver, name, args);
    case 'SYSTEM$LAST_CHANGE_COMMIT_TIME': {
      const table = tableByName(x, resolver, constantText(args[0], 'table name'));
      return String(BigInt(Date.parse(table.table!.lastAltered)) * 1_000_000n);
    }
    case 'SYSTEM$SEND_EMAIL':
      return sendEmail(x, args);
    case 'SYSTEM$WAIT': {
      const amount = Number(constantText(args[0], 'SYSTEM$WAIT amount'));
      const unit = (args[1] ? constantText(args[1], 'SYSTEM$WAIT unit') : 'SECONDS').toUpperCase();
      const ms = unit.startsWith('MILLI') ? amount : unit.startsWith('MIN') ? amount * 60_000 : amount * 1000;
      x.effects.push(() => sleep(ms, x.signal));
      return text(`waited ${amount} ${unit.toLowerCase()}`);
    }
    case 'SYSTEM$CANCEL_QUERY': {
      const id = constantText(args[0], 'query id');
      const cancelled = x.engine.cancelQuery(id, x.session.user, x.roles());
      return text(cancelled ? `query [${id}] terminated.` : `Identified SQL statement is not currently executing.`);
    }
    case 'SYSTEM$TASK_DEPENDENTS_ENABLE': {
      const taskName = constantText(args[0], 'task name');
      x.effects.push(async () => {
        await resumeTaskTree(x, taskName);
        await x.engine.store.saveCatalog(x.engine.store.admin, x.catalog.data);
      });
      return text('Statement executed successfully.');
    }
    case 'SYSTEM$USER_TASK_CANCEL_ONGOING_EXECUTIONS':
      return text('Statement executed successfully.');
    case 'SYSTEM$CURRENT_USER_TASK_NAME':
      return text(x.taskName ?? null);
    case 'SYSTEM$SET_RETURN_VALUE': {
      const value = constantText(args[0], 'return value');
      x.returnValue = value;
      return text(value);
    }
    case 'SYSTEM$GET_PREDECESSOR_RETURN_VALUE':
      return text(x.predecessorReturnValue ?? null);
    case 'SYSTEM$ALLOWLIST':
    case 'SYSTEM$ALLOWLIST_PRIVATELINK':
      return text('[]');
    case 'SYSTEM$SANDBOX_PUT':
      return sandboxPut(x, resolver, args);
    case 'SYSTEM$SANDBOX_OAUTH_TOKEN':
      return oauthToken(x, args);
    default:
      throw new SandboxError('002140', '42601', `SQL compilation error:\nUnknown function ${name} (error line ${token.line} at position ${token.column})`);
  }
}

function tableByName(x: Execution, resolver: Resolver, name: string) {
  const translator = new Translator(name, resolver);
  const chain = translator.nameChain(translator.tree(), 0);
  if (!chain) throw compilationError(`invalid table name '${name}'`);
  const located = locate(x, chain.name, ['TABLE'], resolver.scope);
  if (!located.object?.table || !x.access.hasAny(resolver.scope.roles, { type: 'OBJECT', id: located.object.id })) {
    throw notFound('Object', located.written);
  }
  return located.object;
}

function clusteringInformation(x: Execution, resolver: Resolver, name: string, args: FunctionArg[]): string {
  const table = tableByName(x, resolver, constantText(args[0], 'table name'));
  const keys = args[1] ? constantText(args[1], 'clustering keys').replace(/^\(|\)$/g, '').trim().toUpperCase() : table.table!.clusterBy.join(', ');
  if (!keys) {
    throw new SandboxError('000005', 'XX000', `Invalid clustering keys or table ${table.name} is not clustered`);
  }
  const partitions = `(SELECT CAST(greatest(1, ceil(count(*) / 10000.0)) AS BIGINT) FROM ${tableSql(table.id)})`;
  if (name === 'SYSTEM$CLUSTERING_DEPTH') return `CAST(1.0 AS DOUBLE)`;
  return `('{\n  "cluster_by_keys" : "LINEAR(${keys.replace(/'/g, "''")})",\n  "total_partition_count" : ' || ${partitions} || ',\n  "total_constant_partition_count" : 0,\n  "average_overlaps" : 0.0,\n  "average_depth" : 1.0,\n  "partition_depth_histogram" : {\n    "00000" : 0,\n    "00001" : ' || ${partitions} || '\n  },\n  "clustering_errors" : [ ]\n}')`;
}

function sendEmail(x: Execution, args: FunctionArg[]): string {
  if (args.length < 4) throw compilationError('SYSTEM$SEND_EMAIL needs an integration, recipients, a subject and a body');
  const integrationName = constantText(args[0], 'integration name').toUpperCase();
  const recipients = constantText(args[1], 'recipients');
  const subject = constantText(args[2], 'subject');
  const body = constantText(args[3], 'body');
  const contentType = args[4] ? constantText(args[4], 'content type') : 'text/plain';
  const integration = x.catalog.integration(integrationName);
  if (!integration || integration.type !== 'EMAIL') throw notFound('Object', integrationName);
  if (!x.access.has(x.roles(), { type: 'INTEGRATION', id: integration.id }, 'USAGE')) throw insufficientPrivileges('integration', integrationName);
  if (!integration.enabled) throw new SandboxError('394209', '22023', `Integration '${integrationName}' is disabled.`);
  if (!subject || !body) throw new SandboxError('394201', '22023', 'Email subject and body must not be empty.');
  const allowed = (integration.properties.ALLOWED_RECIPIENTS as string[] | undefined) ?? [];
  const list = recipients.split(',').map((r) => r.trim()).filter(Boolean);
  const outside = list.filter((r) => allowed.length > 0 && !allowed.some((a) => a.toLowerCase() === r.toLowerCase()));
  if (outside.length > 0) {
    throw new SandboxError('394209', '22023', `Email recipients in the given list at indexes [${outside.map((r) => list.indexOf(r) + 1).join(', ')}] are not allowed. Either these email addresses are not yet validated or do not belong to any user in the current account.`);
  }
  x.effects.push(async () => {
    await x.engine.store.record('INSERT INTO meta.emails VALUES (now(), $1, $2, $3, $4, $5, $6)', [integrationName, list.join(','), subject, body, contentType, x.request.queryId]);
    if (x.engine.outbox) await writeOutbox(x.engine.outbox, { integration: integrationName, to: list, subject, body, contentType, queryId: x.request.queryId });
  });
  return 'TRUE';
}

/** Leaves a sent message in the outbox folder as an .eml file (nothing is sent). */
async function writeOutbox(folder: string, mail: { integration: string; to: string[]; subject: string; body: string; contentType: string; queryId: string }): Promise<void> {
  const now = new Date();
  const name = `${now.toISOString().replace(/[:.]/g, '-')}-${mail.queryId.slice(0, 8)}.eml`;
  const text = [
    `Date: ${now.toUTCString()}`,
    `From: Snowflake sandbox <no-reply@sandbox.local> (integration ${mail.integration})`,
    `To: ${mail.to.join(', ')}`,
    `Subject: ${mail.subject.replace(/[\r\n]+/g, ' ')}`,
    `Content-Type: ${mail.contentType}; charset=utf-8`,
    `X-Snowflake-Query-Id: ${mail.queryId}`,
    '',
    mail.body,
    '',
  ].join('\r\n');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, name), text, 'utf8');
}

function sandboxPut(x: Execution, resolver: Resolver, args: FunctionArg[]): string {
  if (args.length !== 3) throw compilationError("SYSTEM$SANDBOX_PUT takes a stage, a file name and the file's content: SYSTEM$SANDBOX_PUT('@stage', 'name.csv', 'content')");
  const stageRef = constantText(args[0], 'stage');
  const fileName = constantText(args[1], 'file name');
  const content = constantText(args[2], 'file content');
  const stage = resolveStage(x, resolver.scope, stageRef, 'WRITE');
  const path = [stage.path.replace(/\/+$/, ''), fileName.replace(/^\/+/, '')].filter(Boolean).join('/');
  x.effects.push(async () => {
    try {
      await x.engine.stageFiles.write(stage.key, path, Buffer.from(content, 'utf8'));
    } catch (error) {
      throw compilationError((error as Error).message);
    }
  });
  return text(`uploaded ${path} (${Buffer.byteLength(content, 'utf8')} bytes) to ${stage.display}`);
}

function oauthToken(x: Execution, args: FunctionArg[]): string {
  const userName = constantText(args[0], 'user name').toUpperCase();
  const role = args[1] ? constantText(args[1], 'role').toUpperCase() : null;
  const user = x.catalog.user(userName);
  if (!user) throw notFound('User', userName);
  if (!x.access.owns(x.roles(), user) && !x.access.hasAccount(x.roles(), 'MANAGE GRANTS')) throw insufficientPrivileges('user', userName);
  const token = `sbx-oauth-${randomBytes(24).toString('hex')}`;
  user.tokens.push({ name: `OAUTH_${user.tokens.length + 1}`, hash: createHash('sha256').update(token).digest('hex'), kind: 'OAUTH', expiresOn: null, role });
  x.effects.push(() => x.engine.store.saveCatalog(x.engine.store.admin, x.catalog.data));
  return text(token);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new SandboxError('000604', '57014', 'SQL execution canceled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SandboxError('000604', '57014', 'SQL execution canceled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
