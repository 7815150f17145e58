// GRANT and REVOKE: privileges on the account and on objects, ALL/FUTURE grants in a schema or
// database, ownership transfer, and roles granted to roles (the hierarchy) and to users. Who may
// grant follows Snowflake: the owner, a holder WITH GRANT OPTION, or a role with MANAGE GRANTS.
import type { FutureGrantEntry, GrantTarget, ObjectEntry, ObjectKind } from './catalog.js';
import { displayName, type Cursor, type ObjectName } from './cursor.js';
import { compilationError, insufficientPrivileges, notFound, unsupported } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import type { Located } from './resolve.js';
import { isOp, isWord } from './tokens.js';

const OK = 'Statement executed successfully.';

/** Object kinds that GRANT … ON <kind> names, singular and plural, → catalog kind. */
const OBJECT_KINDS: Record<string, ObjectKind> = {
  TABLE: 'TABLE', TABLES: 'TABLE', VIEW: 'VIEW', VIEWS: 'VIEW', 'MATERIALIZED VIEW': 'VIEW', 'MATERIALIZED VIEWS': 'VIEW',
  STAGE: 'STAGE', STAGES: 'STAGE', 'FILE FORMAT': 'FILE_FORMAT', 'FILE FORMATS': 'FILE_FORMAT', STREAM: 'STREAM',
  STREAMS: 'STREAM', TASK: 'TASK', TASKS: 'TASK', SEQUENCE: 'SEQUENCE', SEQUENCES: 'SEQUENCE', PROCEDURE: 'PROCEDURE',
  PROCEDURES: 'PROCEDURE', ALERT: 'ALERT', ALERTS: 'ALERT', 'EXTERNAL TABLE': 'TABLE', 'EXTERNAL TABLES': 'TABLE',
  'DYNAMIC TABLE': 'TABLE', 'DYNAMIC TABLES': 'TABLE', FUNCTION: 'PROCEDURE', FUNCTIONS: 'PROCEDURE',
};

/** The singular kind word used in SHOW GRANTS' granted_on column. */
export function grantedOn(object: ObjectEntry): string {
  if (object.kind === 'VIEW' && object.view?.materialized) return 'MATERIALIZED_VIEW';
  return object.kind;
}

/** Adds a grant unless an identical one exists. */
export function addGrant(x: Execution, privilege: string, on: GrantTarget, role: string, grantOption: boolean): void {
  const grants = x.catalog.data.grants;
  const existing = grants.find((g) => g.privilege === privilege && g.role === role && JSON.stringify(g.on) === JSON.stringify(on));
  if (existing) {
    existing.grantOption ||= grantOption;
    return;
  }
  grants.push({ privilege, on, role, grantOption, grantedBy: x.session.role, createdOn: new Date().toISOString() });
}

/** Gives a new object the future grants of its schema (or, if the schema has none for that kind, its database). */
export function applyFutureGrants(x: Execution, object: ObjectEntry, located: Pick<Located, 'database' | 'schema'>): void {
  const kind = object.kind === 'VIEW' && object.view?.materialized ? 'MATERIALIZED VIEW' : object.kind.replace('_', ' ');
  const all = x.catalog.data.futureGrants.filter((g) => g.objectKind === kind);
  const inSchema = all.filter((g) => g.scope === 'SCHEMA' && g.scopeId === located.schema.id);
  const chosen = inSchema.length > 0 ? inSchema : all.filter((g) => g.scope === 'DATABASE' && g.scopeId === located.database.id);
  for (const grant of chosen) {
    if (grant.privilege === 'OWNERSHIP') object.owner = grant.role;
    else addGrant(x, grant.privilege, { type: 'OBJECT', id: object.id }, grant.role, grant.grantOption);
  }
}

/** Copies the grants of one object to another (CLONE, COPY GRANTS). */
export function copyGrants(x: Execution, fromId: number, toId: number): void {
  for (const grant of x.catalog.data.grants.filter((g) => g.on.type === 'OBJECT' && g.on.id === fromId)) {
    addGrant(x, grant.privilege, { type: 'OBJECT', id: toId }, grant.role, grant.grantOption);
  }
}

/** Reads the privilege list up to ON: `SELECT, INSERT`, `ALL [PRIVILEGES]`, `CREATE TABLE`, … */
function privileges(cursor: Cursor): string[] {
  const list: string[] = [];
  let words: string[] = [];
  for (;;) {
    const token = cursor.peek();
    if (isWord(token, 'ON') || token.kind === 'end') break;
    if (isOp(token, ',')) {
      list.push(words.join(' '));
      words = [];
      cursor.next();
      continue;
    }
    if (token.kind !== 'word') cursor.fail();
    words.push(token.value);
    cursor.next();
  }
  if (words.length > 0) list.push(words.join(' '));
  if (list.length === 0 || list.some((p) => !p)) cursor.fail();
  return list.map((p) => (p === 'ALL PRIVILEGES' ? 'ALL' : p));
}

/** The kind after ON (one or two words). */
function kindAfterOn(cursor: Cursor): string {
  const first = cursor.next();
  if (first.kind !== 'word') cursor.fail(first);
  const second = cursor.peek();
  const two = `${first.value} ${second.value}`;
  if (second.kind === 'word' && (OBJECT_KINDS[two] || ['RESOURCE MONITOR', 'NETWORK POLICY', 'INTEGRATION', 'DATABASE ROLE'].includes(two) || /INTEGRATION$/.test(two))) {
    cursor.next();
    return /INTEGRATION$/.test(two) ? 'INTEGRATION' : two;
  }
  return first.value;
}

/** A resolved grant target. */
interface Target {
  on: GrantTarget;
  owner: string | undefined;
  display: string;
  kindWord: string;
}

/** Finds what a grant is on; MANAGE GRANTS sees everything, others only what they can see. */
function resolveTarget(x: Execution, kind: string, name: ObjectName): Target {
  const roles = x.roles();
  const manage = x.access.hasAccount(roles, 'MANAGE GRANTS');
  const parts = name.parts.map((p) => p.name);
  const written = displayName(parts);
  const session = x.session;
  switch (kind) {
    case 'DATABASE': {
      const database = x.catalog.database(parts[0]!);
      if (!database || (!manage && !x.access.databaseVisible(roles, database.id))) throw notFound('Database', written);
      return { on: { type: 'DATABASE', id: database.id }, owner: database.owner, display: database.name, kindWord: 'database' };
    }
    case 'SCHEMA': {
      const dbName = parts.length === 2 ? parts[0]! : session.database;
      const database = dbName ? x.catalog.database(dbName) : undefined;
      const schema = database ? x.catalog.schema(database.id, parts[parts.length - 1]!) : undefined;
      if (!schema || (!manage && !x.access.hasAny(roles, { type: 'SCHEMA', id: schema.id }))) throw notFound('Schema', written);
      return { on: { type: 'SCHEMA', id: schema.id }, owner: schema.owner, display: schema.name, kindWord: 'schema' };
    }
    case 'WAREHOUSE': {
      const warehouse = x.catalog.warehouse(parts[0]!);
      if (!warehouse || (!manage && !x.access.hasAny(roles, { type: 'WAREHOUSE', id: warehouse.id }))) throw notFound('Warehouse', written);
      return { on: { type: 'WAREHOUSE', id: warehouse.id }, owner: warehouse.owner, display: warehouse.name, kindWord: 'warehouse' };
    }
    case 'INTEGRATION': {
      const integration = x.catalog.integration(parts[0]!);
      if (!integration) throw notFound('Object', written);
      return { on: { type: 'INTEGRATION', id: integration.id }, owner: integration.owner, display: integration.name, kindWord: 'integration' };
    }
    case 'RESOURCE MONITOR': {
      const monitor = x.catalog.resourceMonitor(parts[0]!);
      if (!monitor) throw notFound('Object', written);
      return { on: { type: 'RESOURCE_MONITOR', id: monitor.id }, owner: monitor.owner, display: monitor.name, kindWord: 'resource monitor' };
    }
    case 'NETWORK POLICY': {
      const policy = x.catalog.networkPolicy(parts[0]!);
      if (!policy) throw notFound('Object', written);
      return { on: { type: 'NETWORK_POLICY', id: policy.id }, owner: policy.owner, display: policy.name, kindWord: 'network policy' };
    }
    case 'USER': {
      const user = x.catalog.user(parts[0]!);
      if (!user) throw notFound('User', written);
      return { on: { type: 'USER', id: user.id }, owner: user.owner, display: user.name, kindWord: 'user' };
    }
    case 'ROLE': {
      const role = x.catalog.role(parts[0]!);
      if (!role) throw notFound('Role', written);
      return { on: { type: 'ROLE', id: role.id }, owner: role.owner, display: role.name, kindWord: 'role' };
    }
    default: {
      const objectKind = OBJECT_KINDS[kind];
      if (!objectKind) throw unsupported(`GRANT ON ${kind}`);
      const object = findNamed(x, name, objectKind);
      if (!object || (!manage && !x.access.hasAny(roles, { type: 'OBJECT', id: object.id }))) throw notFound('Object', written);
      return { on: { type: 'OBJECT', id: object.id }, owner: object.owner, display: object.name, kindWord: object.kind.toLowerCase().replace('_', ' ') };
    }
  }
}

/** An object by possibly qualified name, without visibility checks (the caller checks). */
function findNamed(x: Execution, name: ObjectName, kind: ObjectKind): ObjectEntry | undefined {
  const parts = name.parts.map((p) => p.name);
  const objectName = parts[parts.length - 1]!;
  const schemaName = parts.length >= 2 ? parts[parts.length - 2]! : x.session.schema;
  const dbName = parts.length === 3 ? parts[0]! : x.session.database;
  const database = dbName ? x.catalog.database(dbName) : undefined;
  const schema = database && schemaName ? x.catalog.schema(database.id, schemaName) : undefined;
  if (!schema) return undefined;
  return x.catalog.object(schema.id, objectName, [kind]);
}

/** Reads `IN SCHEMA s` / `IN DATABASE d` for ALL and FUTURE grants. */
function scopeOf(x: Execution, cursor: Cursor): { scope: 'SCHEMA' | 'DATABASE'; id: number; owner: string; schemaIds: number[] } {
  cursor.expectWords('IN');
  const which = cursor.expectAnyWord('SCHEMA', 'DATABASE');
  const name = cursor.objectName();
  const target = resolveTarget(x, which, name);
  const id = (target.on as { id: number }).id;
  const schemaIds = which === 'SCHEMA' ? [id] : x.catalog.schemasOf(id).map((s) => s.id);
  return { scope: which as 'SCHEMA' | 'DATABASE', id, owner: target.owner ?? '', schemaIds };
}

/** TO ROLE r / TO USER u (or FROM for REVOKE). */
function grantee(cursor: Cursor, preposition: 'TO' | 'FROM'): { type: 'ROLE' | 'USER'; name: string } {
  cursor.expectWords(preposition);
  const type = (cursor.acceptAnyWord('ROLE', 'USER', 'SHARE', 'APPLICATION') ?? 'ROLE') as 'ROLE' | 'USER';
  if ((type as string) === 'SHARE' || (type as string) === 'APPLICATION') throw unsupported(`grants to ${type}`);
  return { type, name: cursor.namePart().name };
}

/** GRANT … and REVOKE …. */
export async function grantOrRevoke(x: Execution, cursor: Cursor): Promise<Outcome> {
  const revoke = cursor.acceptWords('REVOKE');
  if (!revoke) cursor.expectWords('GRANT');
  const grantOptionOnly = revoke && cursor.acceptWords('GRANT', 'OPTION', 'FOR');
  const roles = x.roles();
  const manage = x.access.hasAccount(roles, 'MANAGE GRANTS');

  if (cursor.acceptWords('ROLE')) {
    const role = cursor.namePart().name;
    const to = grantee(cursor, revoke ? 'FROM' : 'TO');
    cursor.expectEnd();
    const roleEntry = x.catalog.role(role);
    if (!roleEntry) throw notFound('Role', role);
    if (!manage && !roles.has(roleEntry.owner)) throw insufficientPrivileges('role', role);
    if (to.type === 'ROLE' && !x.catalog.role(to.name)) throw notFound('Role', to.name);
    if (to.type === 'USER' && !x.catalog.user(to.name)) throw notFound('User', to.name);
    return x.ddl(async () => {
      const grants = x.catalog.data.roleGrants;
      const index = grants.findIndex((g) => g.role === role && g.granteeType === to.type && g.grantee === to.name);
      if (revoke) {
        if (index >= 0) grants.splice(index, 1);
        return x.status(OK);
      }
      if (to.type === 'ROLE' && (role === to.name || x.access.closure(role).has(to.name))) {
        throw compilationError(`Cannot grant role '${role}' to role '${to.name}': it would create a cycle in the role hierarchy.`);
      }
      if (index < 0) grants.push({ role, granteeType: to.type, grantee: to.name, grantedBy: x.session.role, createdOn: new Date().toISOString() });
      return x.status(OK);
    });
  }
  if (cursor.isWords('DATABASE', 'ROLE')) throw unsupported('database roles');

  const list = privileges(cursor);
  cursor.expectWords('ON');

  if (cursor.isWords('ALL') || cursor.isWords('FUTURE')) {
    const future = cursor.next().value === 'FUTURE';
    const kindWord = kindAfterOn(cursor);
    const scope = scopeOf(x, cursor);
    const to = grantee(cursor, revoke ? 'FROM' : 'TO');
    const withGrantOption = !revoke && cursor.acceptWords('WITH', 'GRANT', 'OPTION');
    cursor.acceptAnyWord('CASCADE', 'RESTRICT');
    cursor.expectEnd();
    if (to.type !== 'ROLE' || !x.catalog.role(to.name)) throw notFound('Role', to.name);
    const isSchemas = kindWord === 'SCHEMAS';
    const objectKind = isSchemas ? undefined : OBJECT_KINDS[kindWord];
    if (!isSchemas && !objectKind) throw unsupported(`GRANT ON ${future ? 'FUTURE' : 'ALL'} ${kindWord}`);
    const managedOwner = scope.scope === 'SCHEMA' && x.catalog.schemaById(scope.id)?.managedAccess && roles.has(scope.owner);
    if (!manage && !managedOwner && !(future ? false : roles.has(scope.owner))) {
      throw insufficientPrivileges(scope.scope.toLowerCase(), scope.scope === 'SCHEMA' ? x.catalog.schemaById(scope.id)!.name : x.catalog.databaseById(scope.id)!.name);
    }
    const futureKind = kindWord.replace(/S$/, '').replace('_', ' ');
    return x.ddl(async () => {
      if (future) {
        const futures = x.catalog.data.futureGrants;
        for (const privilege of list) {
          const match = (g: FutureGrantEntry): boolean =>
            g.privilege === privilege && g.objectKind === futureKind && g.scope === scope.scope && g.scopeId === scope.id && g.role === to.name;
          const index = futures.findIndex(match);
          if (revoke) {
            if (index >= 0) futures.splice(index, 1);
          } else if (index < 0) {
            futures.push({ privilege, objectKind: futureKind, scope: scope.scope, scopeId: scope.id, role: to.name, grantOption: withGrantOption, createdOn: new Date().toISOString() });
          }
        }
        return x.status(OK);
      }
      const targets: GrantTarget[] = isSchemas
        ? x.catalog.schemasOf(scope.id).filter((s) => s.name !== 'INFORMATION_SCHEMA').map((s) => ({ type: 'SCHEMA' as const, id: s.id }))
        : scope.schemaIds.flatMap((schemaId) =>
            x.catalog.objectsOf(schemaId, [objectKind!])
              .filter((o) => (kindWord.startsWith('MATERIALIZED') ? o.view?.materialized : kindWord.startsWith('VIEW') ? !o.view?.materialized : true))
              .filter((o) => !o.table?.sessionId)
              .map((o) => ({ type: 'OBJECT' as const, id: o.id })),
          );
      for (const target of targets) for (const privilege of list) apply(x, revoke, grantOptionOnly, privilege, target, to.name, withGrantOption);
      return x.status(OK);
    });
  }

  const kind = kindAfterOn(cursor);
  const target: Target = kind === 'ACCOUNT'
    ? { on: { type: 'ACCOUNT' }, owner: undefined, display: x.engine.account.toUpperCase(), kindWord: 'account' }
    : resolveTarget(x, kind, cursor.objectName());
  const to = grantee(cursor, revoke ? 'FROM' : 'TO');
  const withGrantOption = !revoke && cursor.acceptWords('WITH', 'GRANT', 'OPTION');
  const currentGrants = cursor.acceptAnyWord('COPY', 'REVOKE');
  if (currentGrants) cursor.expectWords('CURRENT', 'GRANTS');
  cursor.acceptAnyWord('CASCADE', 'RESTRICT');
  cursor.expectEnd();
  if (to.type !== 'ROLE' || !x.catalog.role(to.name)) throw notFound('Role', to.name);
  if (kind === 'ACCOUNT' && !roles.has('ACCOUNTADMIN') && !manage) throw insufficientPrivileges('account', target.display);
  return x.ddl(async () => {
    for (const privilege of list) {
      if (privilege === 'OWNERSHIP') {
        if (revoke) throw compilationError('OWNERSHIP cannot be revoked; grant it to another role instead.');
        if (!manage && !(target.owner !== undefined && roles.has(target.owner))) throw insufficientPrivileges(target.kindWord, target.display);
        transferOwnership(x, target.on, to.name, currentGrants === 'REVOKE');
        continue;
      }
      if (!x.access.canGrant(roles, target.on, privilege)) throw insufficientPrivileges(target.kindWord, target.display);
      apply(x, revoke, grantOptionOnly, privilege, target.on, to.name, withGrantOption);
    }
    return x.status(OK);
  });
}

function apply(x: Execution, revoke: boolean, grantOptionOnly: boolean, privilege: string, on: GrantTarget, role: string, grantOption: boolean): void {
  if (!revoke) {
    addGrant(x, privilege, on, role, grantOption);
    return;
  }
  const same = (g: { on: GrantTarget }): boolean => JSON.stringify(g.on) === JSON.stringify(on);
  const grants = x.catalog.data.grants;
  for (let k = grants.length - 1; k >= 0; k--) {
    const grant = grants[k]!;
    if (grant.role !== role || !same(grant)) continue;
    if (privilege !== 'ALL' && grant.privilege !== privilege) continue;
    if (grantOptionOnly) grant.grantOption = false;
    else grants.splice(k, 1);
  }
}

function transferOwnership(x: Execution, on: GrantTarget, role: string, revokeCurrent: boolean): void {
  const c = x.catalog;
  const entry =
    on.type === 'DATABASE' ? c.databaseById(on.id)
    : on.type === 'SCHEMA' ? c.schemaById(on.id)
    : on.type === 'OBJECT' ? c.objectById(on.id)
    : on.type === 'WAREHOUSE' ? c.data.warehouses.find((w) => w.id === on.id)
    : on.type === 'ROLE' ? c.data.roles.find((r) => r.id === on.id)
    : on.type === 'USER' ? c.data.users.find((u) => u.id === on.id)
    : on.type === 'INTEGRATION' ? c.data.integrations.find((i) => i.id === on.id)
    : on.type === 'RESOURCE_MONITOR' ? c.data.resourceMonitors.find((m) => m.id === on.id)
    : on.type === 'NETWORK_POLICY' ? c.data.networkPolicies.find((p) => p.id === on.id)
    : undefined;
  if (!entry) throw compilationError('OWNERSHIP can only be granted on an object');
  entry.owner = role;
  if (revokeCurrent) c.data.grants = c.data.grants.filter((g) => JSON.stringify(g.on) !== JSON.stringify(on));
}
