// Warehouses: size, auto-suspend/auto-resume, SUSPEND/RESUME with Snowflake's state errors, and
// the resume/suspend events that WAREHOUSE_METERING_HISTORY turns into credits. Auto-suspend is
// applied lazily: a started warehouse idle for longer than AUTO_SUSPEND is suspended as of the
// moment it went idle, the next time anyone looks.
import { SandboxError } from '../engine-api.js';
import type { WarehouseEntry } from './catalog.js';
import type { Cursor, PropertyValue } from './cursor.js';
import { alreadyExists, cannotPerform, compilationError, insufficientPrivileges, noActiveWarehouse, syntaxError } from './errors.js';
import type { Execution, Outcome } from './execution.js';
import type { Store } from './store.js';

/** Sizes: accepted spellings → canonical name, SHOW's display and credits per hour. */
const SIZES: { names: string[]; display: string; credits: number }[] = [
  { names: ['XSMALL', 'X-SMALL'], display: 'X-Small', credits: 1 },
  { names: ['SMALL'], display: 'Small', credits: 2 },
  { names: ['MEDIUM'], display: 'Medium', credits: 4 },
  { names: ['LARGE'], display: 'Large', credits: 8 },
  { names: ['XLARGE', 'X-LARGE'], display: 'X-Large', credits: 16 },
  { names: ['XXLARGE', 'X2LARGE', '2X-LARGE'], display: '2X-Large', credits: 32 },
  { names: ['XXXLARGE', 'X3LARGE', '3X-LARGE'], display: '3X-Large', credits: 64 },
  { names: ['X4LARGE', '4X-LARGE'], display: '4X-Large', credits: 128 },
  { names: ['X5LARGE', '5X-LARGE'], display: '5X-Large', credits: 256 },
  { names: ['X6LARGE', '6X-LARGE'], display: '6X-Large', credits: 512 },
];

/** The canonical size for a spelling, e.g. 'x-small' → 'X-Small'. */
export function warehouseSize(value: string): string {
  const upper = value.toUpperCase();
  const size = SIZES.find((s) => s.names.includes(upper) || s.display.toUpperCase() === upper);
  if (!size) throw compilationError(`invalid value '${value}' for property 'WAREHOUSE_SIZE'`);
  return size.display;
}

/** Credits per hour of a size. */
export function creditsPerHour(display: string): number {
  return SIZES.find((s) => s.display === display)?.credits ?? 1;
}

/** SQL CASE mapping a size column to credits per hour. */
export const CREDITS_SQL = (column: string): string =>
  `CASE ${column} ${SIZES.map((s) => `WHEN '${s.display}' THEN ${s.credits}`).join(' ')} ELSE 1 END`;

async function event(store: Store, warehouse: WarehouseEntry, kind: 'RESUME' | 'SUSPEND' | 'RESIZE', at: Date): Promise<void> {
  await store.record('INSERT INTO meta.warehouse_events VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMPTZ))', [
    warehouse.id, warehouse.name, warehouse.size, kind, at.toISOString(),
  ]);
}

/** Suspends warehouses that have been idle longer than their AUTO_SUSPEND. Returns whether any changed. */
export async function applyAutoSuspend(store: Store, warehouses: WarehouseEntry[], now = new Date()): Promise<boolean> {
  let changed = false;
  for (const warehouse of warehouses) {
    if (warehouse.state !== 'STARTED' || !warehouse.autoSuspend) continue;
    const since = Date.parse(warehouse.lastActive ?? warehouse.resumedOn ?? warehouse.createdOn);
    const idleUntil = since + warehouse.autoSuspend * 1000;
    if (idleUntil < now.getTime()) {
      warehouse.state = 'SUSPENDED';
      await event(store, warehouse, 'SUSPEND', new Date(idleUntil));
      changed = true;
    }
  }
  return changed;
}

/** Makes sure the session's warehouse can run the statement: usable, started (auto-resuming it). */
export async function ensureWarehouse(x: Execution): Promise<void> {
  const name = x.session.warehouse;
  const warehouse = name ? x.catalog.warehouse(name) : undefined;
  if (!warehouse || !x.access.has(x.roles(), { type: 'WAREHOUSE', id: warehouse.id }, 'USAGE')) throw noActiveWarehouse();
  if (warehouse.state === 'SUSPENDED') {
    if (!warehouse.autoResume) {
      throw new SandboxError('000606', '57P03', `Warehouse '${warehouse.name}' is suspended and AUTO_RESUME is FALSE. Resume it with ALTER WAREHOUSE ${warehouse.name} RESUME.`);
    }
    const { checkMonitors } = await import('./monitors.js');
    await checkMonitors(x, warehouse);
    await resume(x.engine.store, warehouse);
  }
  warehouse.lastActive = new Date().toISOString();
}

async function resume(store: Store, warehouse: WarehouseEntry): Promise<void> {
  const now = new Date();
  warehouse.state = 'STARTED';
  warehouse.resumedOn = now.toISOString();
  warehouse.lastActive = now.toISOString();
  await event(store, warehouse, 'RESUME', now);
}

function number(value: PropertyValue, key: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw compilationError(`invalid value '${String(value)}' for property '${key}'`);
  return value;
}

function bool(value: PropertyValue, key: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(TRUE|FALSE)$/i.test(value)) return value.toUpperCase() === 'TRUE';
  throw compilationError(`invalid value '${String(value)}' for property '${key}'`);
}

/** Applies SET properties to a warehouse; returns whether it was resized. */
function applyProperties(x: Execution, warehouse: WarehouseEntry, props: Record<string, PropertyValue>): boolean {
  let resized = false;
  for (const [key, value] of Object.entries(props)) {
    switch (key) {
      case 'WAREHOUSE_SIZE': {
        const size = warehouseSize(String(value));
        resized = size !== warehouse.size;
        warehouse.size = size;
        break;
      }
      case 'AUTO_SUSPEND':
        warehouse.autoSuspend = value === null || value === 0 ? null : number(value, key);
        break;
      case 'AUTO_RESUME':
        warehouse.autoResume = bool(value, key);
        break;
      case 'MIN_CLUSTER_COUNT':
        warehouse.minClusterCount = number(value, key);
        break;
      case 'MAX_CLUSTER_COUNT':
        warehouse.maxClusterCount = number(value, key);
        break;
      case 'SCALING_POLICY':
        warehouse.scalingPolicy = String(value).toUpperCase();
        break;
      case 'RESOURCE_MONITOR': {
        const monitor = value === null ? null : String(value).toUpperCase();
        if (monitor && !x.catalog.resourceMonitor(monitor)) throw compilationError(`Resource monitor '${monitor}' does not exist.`);
        warehouse.resourceMonitor = monitor;
        break;
      }
      case 'COMMENT':
        warehouse.comment = value === null ? null : String(value);
        break;
      case 'STATEMENT_TIMEOUT_IN_SECONDS':
        warehouse.statementTimeout = number(value, key);
        break;
      case 'ENABLE_QUERY_ACCELERATION':
        warehouse.enableQueryAcceleration = bool(value, key);
        break;
      case 'QUERY_ACCELERATION_MAX_SCALE_FACTOR':
        warehouse.queryAccelerationMaxScaleFactor = number(value, key);
        break;
      case 'WAREHOUSE_TYPE':
        warehouse.warehouseType = String(value).toUpperCase().replace(/-/g, '_');
        break;
      case 'INITIALLY_SUSPENDED':
      case 'WAIT_FOR_COMPLETION':
      case 'STATEMENT_QUEUED_TIMEOUT_IN_SECONDS':
      case 'MAX_CONCURRENCY_LEVEL':
      case 'RESOURCE_CONSTRAINT':
      case 'TAG':
        break;
      default:
        throw compilationError(`invalid property '${key}' for 'WAREHOUSE'`);
    }
  }
  if (warehouse.minClusterCount > warehouse.maxClusterCount) {
    throw compilationError('MIN_CLUSTER_COUNT cannot be greater than MAX_CLUSTER_COUNT');
  }
  return resized;
}

/** CREATE [OR REPLACE] WAREHOUSE [IF NOT EXISTS] name [WITH] props. */
export async function createWarehouse(x: Execution, cursor: Cursor, orReplace: boolean): Promise<Outcome> {
  const ifNotExists = cursor.acceptIfNotExists();
  const name = cursor.objectName();
  if (name.parts.length !== 1) cursor.fail(name.token);
  const warehouseName = name.parts[0]!.name;
  cursor.acceptWords('WITH');
  const props = cursor.properties();
  cursor.expectEnd();
  if (!x.access.hasAccount(x.roles(), 'CREATE WAREHOUSE')) throw insufficientPrivileges('account', x.engine.account.toUpperCase());
  const existing = x.catalog.warehouse(warehouseName);
  if (existing && ifNotExists) return x.status(`${warehouseName} already exists, statement succeeded.`);
  if (existing && !orReplace) throw alreadyExists(warehouseName);
  return x.ddl(async () => {
    if (existing) x.catalog.data.warehouses.splice(x.catalog.data.warehouses.indexOf(existing), 1);
    const now = new Date().toISOString();
    const warehouse: WarehouseEntry = {
      id: existing?.id ?? x.catalog.newId(),
      name: warehouseName,
      owner: x.session.role,
      createdOn: now,
      comment: null,
      size: 'X-Small',
      state: 'STARTED',
      autoSuspend: 600,
      autoResume: true,
      minClusterCount: 1,
      maxClusterCount: 1,
      scalingPolicy: 'STANDARD',
      resourceMonitor: null,
      statementTimeout: 172800,
      enableQueryAcceleration: false,
      queryAccelerationMaxScaleFactor: 8,
      warehouseType: 'STANDARD',
      resumedOn: now,
      updatedOn: now,
      lastActive: now,
    };
    applyProperties(x, warehouse, props);
    const initiallySuspended = props.INITIALLY_SUSPENDED !== undefined && bool(props.INITIALLY_SUSPENDED, 'INITIALLY_SUSPENDED');
    if (initiallySuspended) {
      warehouse.state = 'SUSPENDED';
      warehouse.resumedOn = null;
    }
    x.catalog.data.warehouses.push(warehouse);
    if (!initiallySuspended) await event(x.engine.store, warehouse, 'RESUME', new Date(now));
    // A new warehouse becomes the session's current warehouse, as in Snowflake.
    x.session.warehouse = warehouse.name;
    return x.status(`Warehouse ${warehouseName} successfully created.`);
  });
}

/** ALTER WAREHOUSE [IF EXISTS] name SUSPEND | RESUME [IF SUSPENDED] | RENAME TO | SET … | UNSET … | ABORT ALL QUERIES. */
export async function alterWarehouse(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.objectName();
  const warehouseName = name.parts[name.parts.length - 1]!.name;
  const warehouse = x.catalog.warehouse(warehouseName);
  const roles = x.roles();
  const visible = warehouse && x.access.hasAny(roles, { type: 'WAREHOUSE', id: warehouse.id });
  if (!warehouse || !visible) {
    if (ifExists) return x.status('Statement executed successfully.');
    throw cannotPerform();
  }
  const target = { type: 'WAREHOUSE' as const, id: warehouse.id };
  const action = cursor.expectAnyWord('SUSPEND', 'RESUME', 'RENAME', 'SET', 'UNSET', 'ABORT');
  return x.ddl(async () => {
    switch (action) {
      case 'SUSPEND':
        cursor.expectEnd();
        if (!x.access.has(roles, target, 'OPERATE')) throw insufficientPrivileges('warehouse', warehouse.name);
        await applyAutoSuspend(x.engine.store, [warehouse]);
        if (warehouse.state === 'SUSPENDED') {
          throw new SandboxError('090064', '22000', `Invalid state. Warehouse '${warehouse.name}' cannot be suspended.`);
        }
        warehouse.state = 'SUSPENDED';
        await event(x.engine.store, warehouse, 'SUSPEND', new Date());
        break;
      case 'RESUME': {
        const ifSuspended = cursor.acceptWords('IF', 'SUSPENDED');
        cursor.expectEnd();
        if (!x.access.has(roles, target, 'OPERATE')) throw insufficientPrivileges('warehouse', warehouse.name);
        await applyAutoSuspend(x.engine.store, [warehouse]);
        if (warehouse.state === 'STARTED') {
          if (ifSuspended) break;
          throw new SandboxError('090063', '22000', `Invalid state. Warehouse '${warehouse.name}' cannot be resumed.`);
        }
        await resume(x.engine.store, warehouse);
        break;
      }
      case 'ABORT':
        cursor.expectWords('ALL', 'QUERIES');
        cursor.expectEnd();
        if (!x.access.has(roles, target, 'OPERATE')) throw insufficientPrivileges('warehouse', warehouse.name);
        break;
      case 'RENAME': {
        cursor.expectWords('TO');
        const newName = cursor.objectName().parts[0]!.name;
        cursor.expectEnd();
        if (!x.access.owns(roles, warehouse)) throw insufficientPrivileges('warehouse', warehouse.name);
        if (x.catalog.warehouse(newName)) throw alreadyExists(newName);
        for (const session of x.engine.sessions.values()) if (session.warehouse === warehouse.name) session.warehouse = newName;
        warehouse.name = newName;
        break;
      }
      case 'SET': {
        const props = cursor.properties();
        cursor.expectEnd();
        if (Object.keys(props).length === 0) cursor.fail();
        const onlyOperate = Object.keys(props).every((k) => k === 'WAREHOUSE_SIZE' || k === 'WAIT_FOR_COMPLETION');
        const allowed = x.access.has(roles, target, 'MODIFY') || (onlyOperate && x.access.has(roles, target, 'OPERATE'));
        if (!allowed) throw insufficientPrivileges('warehouse', warehouse.name);
        if ('RESOURCE_MONITOR' in props && !x.access.hasAccount(roles, 'MANAGE GRANTS') && !roles.has('ACCOUNTADMIN')) {
          throw insufficientPrivileges('warehouse', warehouse.name);
        }
        const resized = applyProperties(x, warehouse, props);
        if (resized && warehouse.state === 'STARTED') await event(x.engine.store, warehouse, 'RESIZE', new Date());
        break;
      }
      case 'UNSET': {
        const keys: string[] = [];
        do keys.push(cursor.namePart().name);
        while (cursor.acceptOp(','));
        cursor.expectEnd();
        if (!x.access.has(roles, target, 'MODIFY')) throw insufficientPrivileges('warehouse', warehouse.name);
        for (const key of keys) {
          if (key === 'RESOURCE_MONITOR') warehouse.resourceMonitor = null;
          else if (key === 'COMMENT') warehouse.comment = null;
          else if (key === 'AUTO_SUSPEND') warehouse.autoSuspend = 600;
          else if (key === 'STATEMENT_TIMEOUT_IN_SECONDS') warehouse.statementTimeout = 172800;
          else throw syntaxError(cursor.peek());
        }
        break;
      }
    }
    warehouse.updatedOn = new Date().toISOString();
    return x.status('Statement executed successfully.');
  });
}

/** DROP WAREHOUSE [IF EXISTS] name. */
export async function dropWarehouse(x: Execution, cursor: Cursor): Promise<Outcome> {
  const ifExists = cursor.acceptIfExists();
  const name = cursor.namePart().name;
  cursor.expectEnd();
  const warehouse = x.catalog.warehouse(name);
  if (!warehouse || !x.access.hasAny(x.roles(), { type: 'WAREHOUSE', id: warehouse.id })) {
    if (ifExists) return x.status(`Drop statement executed successfully (${name} already dropped).`);
    throw cannotPerform();
  }
  if (!x.access.owns(x.roles(), warehouse)) throw insufficientPrivileges('warehouse', name);
  return x.ddl(async () => {
    if (warehouse.state === 'STARTED') await event(x.engine.store, warehouse, 'SUSPEND', new Date());
    x.catalog.data.warehouses.splice(x.catalog.data.warehouses.indexOf(warehouse), 1);
    x.catalog.data.grants = x.catalog.data.grants.filter((g) => !(g.on.type === 'WAREHOUSE' && g.on.id === warehouse.id));
    for (const session of x.engine.sessions.values()) if (session.warehouse === name) session.warehouse = null;
    return x.status(`${name} successfully dropped.`);
  });
}
