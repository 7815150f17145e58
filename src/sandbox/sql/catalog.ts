// The sandbox account's objects: warehouses, databases, schemas, tables and the other schema
// objects, roles, users, grants. Kept in memory for fast lookups on every statement and saved
// as one JSON document inside the DuckDB file, in the same transaction as the data it describes.
// Dropped objects stay here (with `droppedOn`) until their retention ends, so UNDROP can bring
// them back. Pure data plus lookups: no DuckDB here.
import type { SnowflakeType } from './types.js';

/** Fields every object has. */
export interface Entry {
  id: number;
  name: string;
  /** The role that owns it. */
  owner: string;
  /** ISO timestamp. */
  createdOn: string;
  comment: string | null;
}

/** A database. */
export interface DatabaseEntry extends Entry {
  droppedOn?: string;
  retentionDays?: number;
  transient: boolean;
}

/** A schema. */
export interface SchemaEntry extends Entry {
  databaseId: number;
  droppedOn?: string;
  retentionDays?: number;
  transient: boolean;
  managedAccess: boolean;
}

/** A table column. */
export interface ColumnEntry {
  name: string;
  type: SnowflakeType;
  nullable: boolean;
  /** The DEFAULT expression as written, if any. */
  default: string | null;
  comment: string | null;
  /** AUTOINCREMENT/IDENTITY start and step. */
  identity?: { start: number; step: number };
  primaryKey?: boolean;
}

/** What kind of schema object an entry is. */
export type ObjectKind = 'TABLE' | 'VIEW' | 'STREAM' | 'STAGE' | 'FILE_FORMAT' | 'TASK' | 'ALERT' | 'SEQUENCE' | 'PROCEDURE';

/** A schema object: table, view, stream, stage, file format, task, alert, sequence, procedure. */
export interface ObjectEntry extends Entry {
  kind: ObjectKind;
  schemaId: number;
  droppedOn?: string;
  table?: TableDetails;
  view?: ViewDetails;
  stream?: StreamDetails;
  stage?: StageDetails;
  fileFormat?: FileFormatDetails;
  task?: TaskDetails;
  alert?: AlertDetails;
  sequence?: SequenceDetails;
  procedure?: ProcedureDetails;
}

/** A table's storage and settings. */
export interface TableDetails {
  tableKind: 'PERMANENT' | 'TRANSIENT' | 'TEMPORARY';
  columns: ColumnEntry[];
  /** The version (global change counter) at which the table was created. */
  createdVersion: number;
  retentionDays?: number;
  clusterBy: string[];
  /** ALTER TABLE … SUSPEND RECLUSTER: automatic clustering is off while the key stays. */
  reclusterSuspended?: boolean;
  changeTracking: boolean;
  /** For temporary tables: the session that owns it. */
  sessionId?: string;
  /** When the table's data last changed. */
  lastAltered: string;
}

/** A view's definition. */
export interface ViewDetails {
  /** The query after AS, as written. */
  query: string;
  /** The whole CREATE statement, as SHOW VIEWS prints it. */
  text: string;
  columnNames: string[] | null;
  /** The columns as compiled when the view was created (INFORMATION_SCHEMA.COLUMNS lists them). */
  columns?: { name: string; type: SnowflakeType }[];
  secure: boolean;
  materialized: boolean;
  recursive: boolean;
}

/** A stream on a table. */
export interface StreamDetails {
  tableId: number;
  /** Changes after this version are the stream's contents. */
  offsetVersion: number;
  appendOnly: boolean;
  showInitialRows: boolean;
  /** Whether the initial rows were consumed already (SHOW_INITIAL_ROWS). */
  initialConsumed: boolean;
  staleAfter?: string;
}

/** An internal (or accepted-but-unreadable external) stage. */
export interface StageDetails {
  url: string | null;
  fileFormat: FileFormatRef | null;
  copyOptions: Record<string, string>;
  temporary: boolean;
}

/** A named file format or inline options. */
export type FileFormatRef = { name: string } | { options: Record<string, string> };

/** A named file format. */
export interface FileFormatDetails {
  formatType: string;
  options: Record<string, string>;
}

/** A task. */
export interface TaskDetails {
  warehouse: string | null;
  schedule: string | null;
  /** Predecessor task ids (AFTER). */
  predecessors: number[];
  condition: string | null;
  definition: string;
  state: 'started' | 'suspended';
  allowOverlapping: boolean;
  suspendAfterFailures: number | null;
  errorIntegration: string | null;
  config: string | null;
  lastCommittedOn: string | null;
  lastSuspendedOn: string | null;
  /** Set when `SCHEDULE` runs are due: the next time the scheduler checks it. */
  nextRun?: string | null;
  consecutiveFailures: number;
}

/** An alert. */
export interface AlertDetails {
  warehouse: string | null;
  schedule: string | null;
  condition: string;
  action: string;
  state: 'started' | 'suspended';
  /** When the schedule next runs it (while started). */
  nextRun?: string | null;
}

/** A sequence. */
export interface SequenceDetails {
  next: number;
  increment: number;
}

/** A SQL procedure: statements run in order (Snowflake Scripting's simplest form). */
export interface ProcedureDetails {
  signature: string;
  arguments: { name: string; type: string }[];
  returns: string;
  body: string;
  language: string;
  executeAs: 'OWNER' | 'CALLER';
}

/** A warehouse. */
export interface WarehouseEntry extends Entry {
  size: string;
  state: 'STARTED' | 'SUSPENDED';
  autoSuspend: number | null;
  autoResume: boolean;
  minClusterCount: number;
  maxClusterCount: number;
  scalingPolicy: string;
  resourceMonitor: string | null;
  statementTimeout: number;
  enableQueryAcceleration: boolean;
  queryAccelerationMaxScaleFactor: number;
  warehouseType: string;
  resumedOn: string | null;
  updatedOn: string;
  /** When a query last ran on it, for auto-suspend. */
  lastActive: string | null;
}

/** A role. */
export interface RoleEntry extends Entry {
  /** System roles cannot be dropped. */
  system: boolean;
}

/** A user. */
export interface UserEntry extends Entry {
  loginName: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /** scrypt hash: `salt:hash` in hex; null when the user has no password. */
  passwordHash: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  defaultRole: string | null;
  defaultWarehouse: string | null;
  defaultNamespace: string | null;
  type: string | null;
  rsaPublicKey: string | null;
  rsaPublicKey2: string | null;
  /** Programmatic access tokens and registered OAuth tokens: sha256 of the secret. */
  tokens: { name: string; hash: string; kind: 'PAT' | 'OAUTH'; expiresOn: string | null; role: string | null }[];
  networkPolicy: string | null;
  lastSuccessLogin: string | null;
  daysToExpiry: number | null;
  minsToUnlock: number | null;
}

/** What a privilege is granted on. */
export type GrantTarget =
  | { type: 'ACCOUNT' }
  | { type: 'DATABASE' | 'SCHEMA' | 'WAREHOUSE' | 'INTEGRATION' | 'RESOURCE_MONITOR' | 'USER' | 'ROLE' | 'NETWORK_POLICY'; id: number }
  | { type: 'OBJECT'; id: number };

/** An account-level object kind a grant can be on. */
export interface AccountKind {
  /** The grant target type. */
  type: Exclude<GrantTarget['type'], 'ACCOUNT' | 'OBJECT' | 'DATABASE' | 'SCHEMA'>;
  /** The word Snowflake's "does not exist" message starts with. */
  missing: 'Warehouse' | 'Role' | 'User' | 'Object';
  /** The entries of this kind. */
  entries: (data: CatalogData) => Entry[];
}

/** Account-level object kinds by the words naming them in GRANT and SHOW GRANTS ON. */
export const ACCOUNT_KINDS: Record<string, AccountKind> = {
  WAREHOUSE: { type: 'WAREHOUSE', missing: 'Warehouse', entries: (d) => d.warehouses },
  ROLE: { type: 'ROLE', missing: 'Role', entries: (d) => d.roles },
  USER: { type: 'USER', missing: 'User', entries: (d) => d.users },
  INTEGRATION: { type: 'INTEGRATION', missing: 'Object', entries: (d) => d.integrations },
  'RESOURCE MONITOR': { type: 'RESOURCE_MONITOR', missing: 'Object', entries: (d) => d.resourceMonitors },
  'NETWORK POLICY': { type: 'NETWORK_POLICY', missing: 'Object', entries: (d) => d.networkPolicies },
};

/** The account kind for a grant target type (`RESOURCE_MONITOR` → resource monitors). */
export function accountKindOf(type: string): AccountKind | undefined {
  return Object.values(ACCOUNT_KINDS).find((k) => k.type === type);
}

/** A privilege granted to a role. */
export interface GrantEntry {
  privilege: string;
  on: GrantTarget;
  role: string;
  grantOption: boolean;
  grantedBy: string;
  createdOn: string;
}

/** A role granted to a role or a user. */
export interface RoleGrantEntry {
  role: string;
  granteeType: 'ROLE' | 'USER';
  grantee: string;
  grantedBy: string;
  createdOn: string;
}

/** A future grant: new objects of a kind in a database or schema get this privilege. */
export interface FutureGrantEntry {
  privilege: string;
  /** TABLE, VIEW, STAGE, … */
  objectKind: string;
  scope: 'DATABASE' | 'SCHEMA';
  scopeId: number;
  role: string;
  grantOption: boolean;
  createdOn: string;
}

/** A resource monitor. */
export interface ResourceMonitorEntry extends Entry {
  creditQuota: number | null;
  frequency: string;
  startTime: string;
  endTime: string | null;
  notifyUsers: string[];
  triggers: { percent: number; action: string }[];
  level: 'ACCOUNT' | 'WAREHOUSE' | null;
}

/** An integration (notification, storage, API, security). */
export interface IntegrationEntry extends Entry {
  type: string;
  category: string;
  enabled: boolean;
  properties: Record<string, unknown>;
}

/** A network policy: stored and shown, not enforced. */
export interface NetworkPolicyEntry extends Entry {
  allowedIpList: string[];
  blockedIpList: string[];
}

/** The whole catalog as saved. */
export interface CatalogData {
  format: 1;
  nextId: number;
  createdOn: string;
  parameters: Record<string, string>;
  warehouses: WarehouseEntry[];
  databases: DatabaseEntry[];
  schemas: SchemaEntry[];
  objects: ObjectEntry[];
  roles: RoleEntry[];
  users: UserEntry[];
  grants: GrantEntry[];
  roleGrants: RoleGrantEntry[];
  futureGrants: FutureGrantEntry[];
  resourceMonitors: ResourceMonitorEntry[];
  integrations: IntegrationEntry[];
  networkPolicies: NetworkPolicyEntry[];
}

/** An empty catalog. */
export function emptyCatalog(now: string): CatalogData {
  return {
    format: 1,
    nextId: 1,
    createdOn: now,
    parameters: {},
    warehouses: [],
    databases: [],
    schemas: [],
    objects: [],
    roles: [],
    users: [],
    grants: [],
    roleGrants: [],
    futureGrants: [],
    resourceMonitors: [],
    integrations: [],
    networkPolicies: [],
  };
}

/** The catalog with lookups. Live entries are those without `droppedOn`. */
export class Catalog {
  /** Counts DDL: statements prepared before a change are not reused after it. */
  generation = 0;

  constructor(public data: CatalogData) {}

  /** A new object id. */
  newId(): number {
    return this.data.nextId++;
  }

  /** A copy to restore if a statement fails half-way. */
  snapshot(): CatalogData {
    return structuredClone(this.data);
  }

  /** Puts a snapshot back. */
  restore(data: CatalogData): void {
    this.data = data;
  }

  database(name: string): DatabaseEntry | undefined {
    return this.data.databases.find((db) => db.name === name && !db.droppedOn);
  }

  databaseById(id: number): DatabaseEntry | undefined {
    return this.data.databases.find((db) => db.id === id);
  }

  schema(databaseId: number, name: string): SchemaEntry | undefined {
    return this.data.schemas.find((s) => s.databaseId === databaseId && s.name === name && !s.droppedOn);
  }

  schemaById(id: number): SchemaEntry | undefined {
    return this.data.schemas.find((s) => s.id === id);
  }

  /** Live schemas of a database. */
  schemasOf(databaseId: number): SchemaEntry[] {
    return this.data.schemas.filter((s) => s.databaseId === databaseId && !s.droppedOn);
  }

  /** A live object by schema and name; tables, views and streams share one namespace. */
  object(schemaId: number, name: string, kinds?: ObjectKind[]): ObjectEntry | undefined {
    return this.data.objects.find(
      (o) => o.schemaId === schemaId && o.name === name && !o.droppedOn && (!kinds || kinds.includes(o.kind)),
    );
  }

  objectById(id: number): ObjectEntry | undefined {
    return this.data.objects.find((o) => o.id === id);
  }

  /** Live objects of a schema, of some kinds. */
  objectsOf(schemaId: number, kinds?: ObjectKind[]): ObjectEntry[] {
    return this.data.objects.filter((o) => o.schemaId === schemaId && !o.droppedOn && (!kinds || kinds.includes(o.kind)));
  }

  warehouse(name: string): WarehouseEntry | undefined {
    return this.data.warehouses.find((w) => w.name === name);
  }

  role(name: string): RoleEntry | undefined {
    return this.data.roles.find((r) => r.name === name);
  }

  user(name: string): UserEntry | undefined {
    return this.data.users.find((u) => u.name === name);
  }

  /** A user by login name, case-insensitively as Snowflake matches logins. */
  userByLogin(login: string): UserEntry | undefined {
    const upper = login.toUpperCase();
    return this.data.users.find((u) => u.loginName.toUpperCase() === upper) ?? this.data.users.find((u) => u.name.toUpperCase() === upper);
  }

  resourceMonitor(name: string): ResourceMonitorEntry | undefined {
    return this.data.resourceMonitors.find((m) => m.name === name);
  }

  integration(name: string): IntegrationEntry | undefined {
    return this.data.integrations.find((i) => i.name === name);
  }

  networkPolicy(name: string): NetworkPolicyEntry | undefined {
    return this.data.networkPolicies.find((p) => p.name === name);
  }

  /** The database and schema an object lives in. */
  placeOf(object: ObjectEntry): { database: DatabaseEntry; schema: SchemaEntry } {
    const schema = this.schemaById(object.schemaId)!;
    return { schema, database: this.databaseById(schema.databaseId)! };
  }

  /** DB.SCHEMA.NAME of an object. */
  qualifiedName(object: ObjectEntry): string[] {
    const { database, schema } = this.placeOf(object);
    return [database.name, schema.name, object.name];
  }

  /** Retention in days that applies to a table: its own, else its schema's, database's, account's. */
  retentionDays(object: ObjectEntry): number {
    const { database, schema } = this.placeOf(object);
    const own = object.table?.retentionDays;
    if (object.table?.tableKind === 'TEMPORARY' || object.table?.tableKind === 'TRANSIENT') {
      return Math.min(own ?? schema.retentionDays ?? database.retentionDays ?? this.accountRetention(), 1);
    }
    return own ?? schema.retentionDays ?? database.retentionDays ?? this.accountRetention();
  }

  /** Account-level DATA_RETENTION_TIME_IN_DAYS (1 unless changed). */
  accountRetention(): number {
    const value = this.data.parameters.DATA_RETENTION_TIME_IN_DAYS;
    return value === undefined ? 1 : Number(value);
  }
}
