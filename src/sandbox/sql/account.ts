// Account-level objects: roles, users (passwords, key pairs, programmatic access tokens),
// resource monitors, integrations, network policies (stored and shown, not enforced) and
// ALTER ACCOUNT. Who may do what follows Snowflake's system roles.
import { createHash, randomBytes } from 'node:crypto';
import { SandboxError } from '../engine-api.js';
import type { Entry, IntegrationEntry, ResourceMonitorEntry, UserEntry } from './catalog.js';
import type { Cursor, PropertyValue } from './cursor.js';
import { alreadyExists, compilationError, insufficientPrivileges, notFound } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import { table } from './execution.js';
import { wireColumn } from './encode.js';
import { hashPassword } from './passwords.js';

const OK = 'Statement executed successfully.';

function text(value: PropertyValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  return String(value);
}

function bool(value: PropertyValue, key: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(TRUE|FALSE)$/i.test(value)) return value.toUpperCase() === 'TRUE';
  throw compilationError(`invalid value '${String(value)}' for property '${key}'`);
}

function requireAccount(x: Execution, privilege: string): void {
  if (!x.access.hasAccount(x.roles(), privilege)) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
}

function requireAccountAdmin(x: Execution): void {
  if (!x.roles().has('ACCOUNTADMIN')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
}

/** Reads CREATE's `[IF NOT EXISTS] name`, deciding what to do with an existing entry. */
function createTarget<T extends Entry>(x: Execution, cursor: Cursor, orReplace: boolean, find: (name: string) => T | undefined): { name: string; existing?: T; skip?: Outcome } {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  if (name.parts.length !== 1) cursor.fail(name.token);
  const entryName = name.parts[0]!.name;
  const existing = find(entryName);
  if (existing && ifNotExists) return { name: entryName, skip: x.status(`${entryName} already exists, statement succeeded.`) };
  if (existing && !orReplace) throw alreadyExists(entryName);
  if (existing && !x.roles().has(existing.owner)) throw insufficientPrivileges('object', entryName);
  return { name: entryName, existing };
}

// -------------------------------------------------------------------------------------------------
// Roles

/** CREATE ROLE. */
export async function createRole(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  requireAccount(x, 'CREATE ROLE');
  const target = createTarget(x, cursor, orReplace, (name) => x.catalog.role(name));
  const props = cursor.properties();
  cursor.expectEnd();
  if (target.skip) return target.skip;
  if (target.existing?.system) throw insufficientPrivileges('role', target.name);
  return x.ddl(async () => {
    const roles = x.catalog.data.roles;
    if (target.existing) roles.splice(roles.indexOf(target.existing as never), 1);
    roles.push({ id: x.catalog.newId(), name: target.name, owner: x.session.role, createdOn: new Date().toISOString(), comment: text(props.COMMENT), system: false });
    return x.status(`Role ${target.name} successfully created.`);
  });
}

/** DROP ROLE: grants to and from it go; what it owned passes to the role that drops it. */
export async function dropRole(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  cursor.expectEnd();
  const role = x.catalog.role(name);
  if (!role) {
    if (ifExists) return x.status(`Drop statement executed successfully (${name} already dropped).`);
    throw notFound('Role', name);
  }
  if (role.system || !x.roles().has(role.owner)) throw insufficientPrivileges('role', name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.roles.splice(data.roles.indexOf(role), 1);
    data.roleGrants = data.roleGrants.filter((g) => g.role !== name && !(g.granteeType === 'ROLE' && g.grantee === name));
    data.grants = data.grants.filter((g) => g.role !== name);
    data.futureGrants = data.futureGrants.filter((g) => g.role !== name);
    const heir = x.session.role;
    for (const list of [data.databases, data.schemas, data.objects, data.warehouses, data.roles, data.users, data.integrations, data.resourceMonitors, data.networkPolicies] as Entry[][]) {
      for (const entry of list) if (entry.owner === name) entry.owner = heir;
    }
    for (const session of x.engine.sessions.values()) if (session.role === name) session.role = 'PUBLIC';
    return x.status(`${name} successfully dropped.`);
  });
}

/** ALTER ROLE name RENAME TO | SET COMMENT | UNSET COMMENT. */
export async function alterRole(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  const role = x.catalog.role(name);
  if (!role) {
    if (ifExists) return x.status(OK);
    throw notFound('Role', name);
  }
  if (role.system || !x.roles().has(role.owner)) throw insufficientPrivileges('role', name);
  return x.ddl(async () => {
    if (cursor.acceptWords('RENAME', 'TO')) {
      const newName = cursor.namePart().name;
      cursor.expectEnd();
      if (x.catalog.role(newName)) throw alreadyExists(newName);
      const data = x.catalog.data;
      for (const g of data.roleGrants) {
        if (g.role === name) g.role = newName;
        if (g.granteeType === 'ROLE' && g.grantee === name) g.grantee = newName;
      }
      for (const g of data.grants) if (g.role === name) g.role = newName;
      for (const g of data.futureGrants) if (g.role === name) g.role = newName;
      for (const list of [data.databases, data.schemas, data.objects, data.warehouses, data.roles, data.users] as Entry[][]) {
        for (const entry of list) if (entry.owner === name) entry.owner = newName;
      }
      for (const user of data.users) if (user.defaultRole === name) user.defaultRole = newName;
      for (const session of x.engine.sessions.values()) if (session.role === name) session.role = newName;
      role.name = newName;
    } else if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      if ('COMMENT' in props) role.comment = text(props.COMMENT);
    } else if (cursor.acceptWords('UNSET', 'COMMENT')) {
      role.comment = null;
    } else cursor.fail();
    return x.status(OK);
  });
}

// -------------------------------------------------------------------------------------------------
// Users

/** The fingerprint DESC USER shows for a public key: SHA256:<base64 of SHA-256 of the DER key>. */
export function keyFingerprint(key: string): string {
  const body = key.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

const USER_PROPERTIES = new Set([
  'PASSWORD', 'LOGIN_NAME', 'DISPLAY_NAME', 'FIRST_NAME', 'MIDDLE_NAME', 'LAST_NAME', 'EMAIL', 'MUST_CHANGE_PASSWORD',
  'DISABLED', 'DAYS_TO_EXPIRY', 'MINS_TO_UNLOCK', 'DEFAULT_WAREHOUSE', 'DEFAULT_NAMESPACE', 'DEFAULT_ROLE',
  'DEFAULT_SECONDARY_ROLES', 'TYPE', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2', 'COMMENT', 'NETWORK_POLICY',
  'MINS_TO_BYPASS_MFA', 'SNOWFLAKE_SUPPORT', 'EXT_AUTHN_DUO', 'EXT_AUTHN_UID', 'TAG', 'RSA_PUBLIC_KEY_FP',
]);

function applyUserProperties(x: Execution, user: UserEntry, props: Record<string, PropertyValue>): void {
  for (const [key, value] of Object.entries(props)) {
    if (!USER_PROPERTIES.has(key)) throw compilationError(`invalid property '${key}' for 'USER'`);
    switch (key) {
      case 'PASSWORD':
        if (value === null || String(value) === '') throw compilationError('Password cannot be empty.');
        if ((user.type ?? '').toUpperCase() === 'SERVICE') {
          throw new SandboxError('391101', '22023', `Property 'PASSWORD' is not supported for user with TYPE=SERVICE.`);
        }
        user.passwordHash = hashPassword(String(value));
        break;
      case 'LOGIN_NAME':
        user.loginName = String(value).toUpperCase();
        break;
      case 'DISPLAY_NAME':
        user.displayName = String(value);
        break;
      case 'FIRST_NAME':
        user.firstName = text(value);
        break;
      case 'LAST_NAME':
        user.lastName = text(value);
        break;
      case 'EMAIL':
        user.email = text(value);
        break;
      case 'MUST_CHANGE_PASSWORD':
        user.mustChangePassword = bool(value, key);
        break;
      case 'DISABLED':
        user.disabled = bool(value, key);
        break;
      case 'DAYS_TO_EXPIRY':
        user.daysToExpiry = value === null ? null : Number(value);
        break;
      case 'MINS_TO_UNLOCK':
        user.minsToUnlock = value === null ? null : Number(value);
        break;
      case 'DEFAULT_WAREHOUSE':
        user.defaultWarehouse = text(value)?.toUpperCase() ?? null;
        break;
      case 'DEFAULT_NAMESPACE':
        user.defaultNamespace = text(value)?.toUpperCase() ?? null;
        break;
      case 'DEFAULT_ROLE':
        user.defaultRole = text(value)?.toUpperCase() ?? null;
        break;
      case 'TYPE': {
        const type = text(value)?.toUpperCase() ?? null;
        if (type && !['PERSON', 'SERVICE', 'LEGACY_SERVICE', 'NULL'].includes(type)) throw compilationError(`invalid value '${type}' for property 'TYPE'`);
        user.type = type;
        if (type === 'SERVICE' && user.passwordHash && !('PASSWORD' in props)) {
          // A service user cannot keep a password.
          user.passwordHash = null;
        }
        break;
      }
      case 'RSA_PUBLIC_KEY':
        user.rsaPublicKey = text(value);
        if (user.rsaPublicKey) keyFingerprint(user.rsaPublicKey);
        break;
      case 'RSA_PUBLIC_KEY_2':
        user.rsaPublicKey2 = text(value);
        break;
      case 'COMMENT':
        user.comment = text(value);
        break;
      case 'NETWORK_POLICY': {
        const policy = text(value)?.toUpperCase() ?? null;
        if (policy && !x.catalog.networkPolicy(policy)) throw notFound('Object', policy);
        user.networkPolicy = policy;
        break;
      }
      default:
        break;
    }
  }
}

/** CREATE USER. */
export async function createUser(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  requireAccount(x, 'CREATE USER');
  const target = createTarget(x, cursor, orReplace, (name) => x.catalog.user(name));
  const props = cursor.properties();
  cursor.expectEnd();
  if (target.skip) return target.skip;
  if (String(props.TYPE ?? '').toUpperCase() === 'SERVICE' && 'PASSWORD' in props) {
    throw new SandboxError('391101', '22023', `Property 'PASSWORD' is not supported for user with TYPE=SERVICE.`);
  }
  return x.ddl(async () => {
    const users = x.catalog.data.users;
    if (target.existing) users.splice(users.indexOf(target.existing), 1);
    const user: UserEntry = {
      id: x.catalog.newId(), name: target.name, owner: x.session.role, createdOn: new Date().toISOString(), comment: null,
      loginName: target.name, displayName: target.name, firstName: null, lastName: null, email: null, passwordHash: null,
      mustChangePassword: false, disabled: false, defaultRole: null, defaultWarehouse: null, defaultNamespace: null,
      type: null, rsaPublicKey: null, rsaPublicKey2: null, tokens: [], networkPolicy: null, lastSuccessLogin: null,
      daysToExpiry: null, minsToUnlock: null,
    };
    if ('TYPE' in props) applyUserProperties(x, user, { TYPE: props.TYPE! });
    applyUserProperties(x, user, props);
    users.push(user);
    return x.status(`User ${target.name} successfully created.`);
  });
}

/** DROP USER. */
export async function dropUser(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  cursor.expectEnd();
  const user = x.catalog.user(name);
  if (!user) {
    if (ifExists) return x.status(`Drop statement executed successfully (${name} already dropped).`);
    throw notFound('User', name);
  }
  if (!x.roles().has(user.owner)) throw insufficientPrivileges('user', name);
  return x.ddl(async () => {
    const data = x.catalog.data;
    data.users.splice(data.users.indexOf(user), 1);
    data.roleGrants = data.roleGrants.filter((g) => !(g.granteeType === 'USER' && g.grantee === name));
    return x.status(`${name} successfully dropped.`);
  });
}

/** Properties a user may change on themselves without owning their user object. */
const SELF_PROPERTIES = new Set(['PASSWORD', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2', 'DEFAULT_WAREHOUSE', 'DEFAULT_NAMESPACE', 'DEFAULT_ROLE', 'DEFAULT_SECONDARY_ROLES', 'DISPLAY_NAME', 'EMAIL', 'FIRST_NAME', 'LAST_NAME']);

/** ALTER USER. */
export async function alterUser(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  const user = x.catalog.user(name);
  if (!user) {
    if (ifExists) return x.status(OK);
    throw notFound('User', name);
  }
  const owner = x.roles().has(user.owner);
  const self = x.session.user === user.name;
  const deny = (): never => {
    throw insufficientPrivileges('user', name);
  };
  return x.ddl(async () => {
    if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      if (!owner && !(self && Object.keys(props).every((k) => SELF_PROPERTIES.has(k)))) deny();
      applyUserProperties(x, user, props);
      return x.status(OK);
    }
    if (cursor.acceptWords('UNSET')) {
      const keys: string[] = [];
      do keys.push(cursor.namePart().name);
      while (cursor.acceptOp(','));
      cursor.expectEnd();
      if (!owner && !(self && keys.every((k) => SELF_PROPERTIES.has(k)))) deny();
      for (const key of keys) {
        if (key === 'RSA_PUBLIC_KEY') user.rsaPublicKey = null;
        else if (key === 'RSA_PUBLIC_KEY_2') user.rsaPublicKey2 = null;
        else if (key === 'PASSWORD') user.passwordHash = null;
        else if (key === 'DEFAULT_ROLE') user.defaultRole = null;
        else if (key === 'DEFAULT_WAREHOUSE') user.defaultWarehouse = null;
        else if (key === 'DEFAULT_NAMESPACE') user.defaultNamespace = null;
        else if (key === 'COMMENT') user.comment = null;
        else if (key === 'NETWORK_POLICY') user.networkPolicy = null;
        else if (key === 'EMAIL') user.email = null;
        else if (key === 'TYPE') user.type = null;
      }
      return x.status(OK);
    }
    if (cursor.acceptWords('RENAME', 'TO')) {
      const newName = cursor.namePart().name;
      cursor.expectEnd();
      if (!owner) deny();
      if (x.catalog.user(newName)) throw alreadyExists(newName);
      for (const g of x.catalog.data.roleGrants) if (g.granteeType === 'USER' && g.grantee === name) g.grantee = newName;
      user.name = newName;
      return x.status(OK);
    }
    if (cursor.acceptWords('RESET', 'PASSWORD')) {
      cursor.expectEnd();
      if (!owner) deny();
      return table([wireColumn('status', 'text')], [[`https://sandbox.local/console/login#/?reset_password=${randomBytes(8).toString('hex')}`]], x.statementClass.typeId);
    }
    if (cursor.acceptWords('ABORT', 'ALL', 'QUERIES')) {
      cursor.expectEnd();
      if (!owner) deny();
      return x.status(OK);
    }
    if (cursor.acceptWords('ADD', 'PROGRAMMATIC', 'ACCESS', 'TOKEN') || cursor.acceptWords('ADD', 'PAT')) {
      const tokenName = cursor.namePart().name;
      const props = cursor.properties();
      cursor.expectEnd();
      if (!owner && !self) deny();
      if (user.tokens.some((t) => t.name === tokenName)) throw alreadyExists(tokenName);
      const secret = `sbx-pat-${randomBytes(24).toString('hex')}`;
      const days = props.DAYS_TO_EXPIRY === undefined ? 15 : Number(props.DAYS_TO_EXPIRY);
      user.tokens.push({
        name: tokenName, hash: createHash('sha256').update(secret).digest('hex'), kind: 'PAT',
        expiresOn: new Date(Date.now() + days * 86_400_000).toISOString(), role: text(props.ROLE_RESTRICTION)?.toUpperCase() ?? null,
      });
      return table([wireColumn('token_name', 'text'), wireColumn('token_secret', 'text')], [[tokenName, secret]], x.statementClass.typeId);
    }
    if (cursor.acceptWords('REMOVE', 'PROGRAMMATIC', 'ACCESS', 'TOKEN') || cursor.acceptWords('REMOVE', 'PAT')) {
      const tokenName = cursor.namePart().name;
      cursor.expectEnd();
      if (!owner && !self) deny();
      const index = user.tokens.findIndex((t) => t.name === tokenName);
      if (index < 0) throw notFound('Object', tokenName);
      user.tokens.splice(index, 1);
      return x.status(OK);
    }
    return cursor.fail();
  });
}

// -------------------------------------------------------------------------------------------------
// Resource monitors

function readTriggers(cursor: Cursor): { percent: number; action: string }[] {
  const triggers: { percent: number; action: string }[] = [];
  while (cursor.acceptWords('ON')) {
    const percent = Number(cursor.value());
    cursor.expectWords('PERCENT');
    cursor.expectWords('DO');
    const action = cursor.expectAnyWord('NOTIFY', 'SUSPEND', 'SUSPEND_IMMEDIATE');
    triggers.push({ percent, action });
  }
  return triggers;
}

function applyMonitorProperties(monitor: ResourceMonitorEntry, props: Record<string, PropertyValue>): void {
  for (const [key, value] of Object.entries(props)) {
    switch (key) {
      case 'CREDIT_QUOTA':
        monitor.creditQuota = value === null ? null : Number(value);
        break;
      case 'FREQUENCY':
        monitor.frequency = String(value).toUpperCase();
        break;
      case 'START_TIMESTAMP':
        monitor.startTime = String(value).toUpperCase() === 'IMMEDIATELY' ? new Date().toISOString() : new Date(String(value)).toISOString();
        break;
      case 'END_TIMESTAMP':
        monitor.endTime = value === null ? null : new Date(String(value)).toISOString();
        break;
      case 'NOTIFY_USERS':
        monitor.notifyUsers = (Array.isArray(value) ? value : [value]).map((v) => String(v).toUpperCase());
        break;
      default:
        throw compilationError(`invalid property '${key}' for 'RESOURCE MONITOR'`);
    }
  }
}

/** CREATE RESOURCE MONITOR (ACCOUNTADMIN only). */
export async function createResourceMonitor(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  requireAccountAdmin(x);
  const target = createTarget(x, cursor, orReplace, (name) => x.catalog.resourceMonitor(name));
  cursor.acceptWords('WITH');
  const props = cursor.properties('TRIGGERS');
  const triggers = cursor.acceptWords('TRIGGERS') ? readTriggers(cursor) : [];
  cursor.expectEnd();
  if (target.skip) return target.skip;
  return x.ddl(async () => {
    const list = x.catalog.data.resourceMonitors;
    if (target.existing) list.splice(list.indexOf(target.existing), 1);
    const monitor: ResourceMonitorEntry = {
      id: x.catalog.newId(), name: target.name, owner: x.session.role, createdOn: new Date().toISOString(), comment: null,
      creditQuota: null, frequency: 'MONTHLY', startTime: new Date().toISOString(), endTime: null, notifyUsers: [], triggers,
      level: null,
    };
    applyMonitorProperties(monitor, props);
    list.push(monitor);
    return x.status(`Resource monitor ${target.name} successfully created.`);
  });
}

/** ALTER RESOURCE MONITOR name SET … [TRIGGERS …]. */
export async function alterResourceMonitor(x: Execution, cursor: Cursor): Promise<Outcome> {
  requireAccountAdmin(x);
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  const monitor = x.catalog.resourceMonitor(name);
  if (!monitor) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', name);
  }
  return x.ddl(async () => {
    if (cursor.acceptWords('SET')) applyMonitorProperties(monitor, cursor.properties('TRIGGERS'));
    if (cursor.acceptWords('TRIGGERS')) monitor.triggers = readTriggers(cursor);
    else if (cursor.acceptWords('NOTIFY_USERS')) cursor.fail();
    cursor.expectEnd();
    return x.status(OK);
  });
}

// -------------------------------------------------------------------------------------------------
// Integrations and network policies

/** CREATE … INTEGRATION (notification, storage, API, security): stored with its properties. */
export async function createIntegration(x: Execution, cursor: Cursor, orReplace: boolean, category: string): Promise<Outcome> {
  requireAccount(x, 'CREATE INTEGRATION');
  const target = createTarget(x, cursor, orReplace, (name) => x.catalog.integration(name));
  const props = cursor.properties();
  cursor.expectEnd();
  if (target.skip) return target.skip;
  return x.ddl(async () => {
    const list = x.catalog.data.integrations;
    if (target.existing) list.splice(list.indexOf(target.existing), 1);
    const recipients = props.ALLOWED_RECIPIENTS === undefined ? [] : (Array.isArray(props.ALLOWED_RECIPIENTS) ? props.ALLOWED_RECIPIENTS : [props.ALLOWED_RECIPIENTS]).map(String);
    const integration: IntegrationEntry = {
      id: x.catalog.newId(), name: target.name, owner: x.session.role, createdOn: new Date().toISOString(),
      comment: text(props.COMMENT), type: String(props.TYPE ?? category).toUpperCase().replace(/ /g, '_'), category,
      enabled: props.ENABLED === undefined ? true : bool(props.ENABLED, 'ENABLED'),
      properties: { ...props, ALLOWED_RECIPIENTS: recipients },
    };
    list.push(integration);
    return x.status(`Integration ${target.name} successfully created.`);
  });
}

/** ALTER … INTEGRATION name SET … . */
export async function alterIntegration(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  const integration = x.catalog.integration(name);
  if (!integration) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', name);
  }
  if (!x.roles().has(integration.owner)) throw insufficientPrivileges('integration', name);
  cursor.expectWords('SET');
  const props = cursor.properties();
  cursor.expectEnd();
  return x.ddl(async () => {
    if ('ENABLED' in props) integration.enabled = bool(props.ENABLED!, 'ENABLED');
    if ('COMMENT' in props) integration.comment = text(props.COMMENT);
    if ('ALLOWED_RECIPIENTS' in props) {
      const value = props.ALLOWED_RECIPIENTS;
      integration.properties.ALLOWED_RECIPIENTS = (Array.isArray(value) ? value : [value]).map(String);
    }
    Object.assign(integration.properties, Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'ALLOWED_RECIPIENTS')));
    return x.status(OK);
  });
}

/** CREATE NETWORK POLICY: stored and shown; the sandbox does not enforce it. */
export async function createNetworkPolicy(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  requireAccount(x, 'CREATE NETWORK POLICY');
  const target = createTarget(x, cursor, orReplace, (name) => x.catalog.networkPolicy(name));
  const props = cursor.properties();
  cursor.expectEnd();
  if (target.skip) return target.skip;
  const list = (value: PropertyValue | undefined): string[] => (value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String));
  return x.ddl(async () => {
    const policies = x.catalog.data.networkPolicies;
    if (target.existing) policies.splice(policies.indexOf(target.existing), 1);
    policies.push({
      id: x.catalog.newId(), name: target.name, owner: x.session.role, createdOn: new Date().toISOString(),
      comment: text(props.COMMENT), allowedIpList: list(props.ALLOWED_IP_LIST), blockedIpList: list(props.BLOCKED_IP_LIST),
    });
    return x.status(`Network policy ${target.name} successfully created.`);
  });
}

/** DROP RESOURCE MONITOR | INTEGRATION | NETWORK POLICY. */
export async function dropAccountObject(x: Execution, cursor: Cursor, kind: 'RESOURCE MONITOR' | 'INTEGRATION' | 'NETWORK POLICY'): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  cursor.expectEnd();
  const data = x.catalog.data;
  const list: Entry[] = kind === 'RESOURCE MONITOR' ? data.resourceMonitors : kind === 'INTEGRATION' ? data.integrations : data.networkPolicies;
  const entry = list.find((e) => e.name === name);
  if (!entry) {
    if (ifExists) return x.status(`Drop statement executed successfully (${name} already dropped).`);
    throw notFound('Object', name);
  }
  if (!x.roles().has(entry.owner)) throw insufficientPrivileges(kind.toLowerCase(), name);
  return x.ddl(async () => {
    list.splice(list.indexOf(entry), 1);
    if (kind === 'RESOURCE MONITOR') for (const w of data.warehouses) if (w.resourceMonitor === name) w.resourceMonitor = null;
    return x.status(`${name} successfully dropped.`);
  });
}

/** ALTER NETWORK POLICY name SET … . */
export async function alterNetworkPolicy(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  const policy = x.catalog.networkPolicy(name);
  if (!policy) {
    if (ifExists) return x.status(OK);
    throw notFound('Object', name);
  }
  if (!x.roles().has(policy.owner)) throw insufficientPrivileges('network policy', name);
  cursor.expectWords('SET');
  const props = cursor.properties();
  cursor.expectEnd();
  const list = (value: PropertyValue | undefined): string[] => (value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]).map(String));
  return x.ddl(async () => {
    if ('ALLOWED_IP_LIST' in props) policy.allowedIpList = list(props.ALLOWED_IP_LIST);
    if ('BLOCKED_IP_LIST' in props) policy.blockedIpList = list(props.BLOCKED_IP_LIST);
    if ('COMMENT' in props) policy.comment = text(props.COMMENT);
    return x.status(OK);
  });
}

/** ALTER ACCOUNT SET / UNSET parameters (ACCOUNTADMIN only). */
export async function alterAccount(x: Execution, cursor: Cursor): Promise<Outcome> {
  cursor.expectWords('ALTER', 'ACCOUNT');
  requireAccountAdmin(x);
  const params = x.catalog.data.parameters;
  return x.ddl(async () => {
    if (cursor.acceptWords('SET')) {
      const props = cursor.properties();
      cursor.expectEnd();
      for (const [key, value] of Object.entries(props)) {
        const valueText = value === null ? '' : String(value).toUpperCase() === String(value) || typeof value !== 'string' ? String(value) : String(value);
        if (key === 'RESOURCE_MONITOR') {
          const monitor = x.catalog.resourceMonitor(String(value).toUpperCase());
          if (!monitor) throw notFound('Object', String(value));
          for (const m of x.catalog.data.resourceMonitors) if (m.level === 'ACCOUNT') m.level = null;
          monitor.level = 'ACCOUNT';
        } else if (key === 'NETWORK_POLICY' && !x.catalog.networkPolicy(String(value).toUpperCase())) {
          throw notFound('Object', String(value));
        } else if (key === 'DATA_RETENTION_TIME_IN_DAYS' && (typeof value !== 'number' || value < 0 || value > 90)) {
          throw compilationError(`invalid value [${String(value)}] for parameter 'DATA_RETENTION_TIME_IN_DAYS'`);
        }
        params[key] = key === 'RESOURCE_MONITOR' || key === 'NETWORK_POLICY' ? valueText.toUpperCase() : valueText;
      }
      return x.status(OK);
    }
    if (cursor.acceptWords('UNSET')) {
      const keys: string[] = [];
      do keys.push(cursor.namePart().name);
      while (cursor.acceptOp(','));
      cursor.expectEnd();
      for (const key of keys) {
        if (key === 'DATA_RETENTION_TIME_IN_DAYS') params[key] = '1';
        else delete params[key];
        if (key === 'RESOURCE_MONITOR') for (const m of x.catalog.data.resourceMonitors) if (m.level === 'ACCOUNT') m.level = null;
      }
      return x.status(OK);
    }
    return cursor.fail();
  });
}
