// What a new sandbox account has before anyone logs in: the system roles and their hierarchy
// (ACCOUNTADMIN over SECURITYADMIN and SYSADMIN, SECURITYADMIN over USERADMIN), their account
// privileges, the documented OPERATOR user, the COMPUTE_WH warehouse, and the shared SNOWFLAKE
// database whose ACCOUNT_USAGE views ACCOUNTADMIN can read.
import { SANDBOX_DEFAULTS } from '../engine-api.js';
import { SYSTEM_ROLES } from './access.js';
import { emptyCatalog, type CatalogData, type GrantEntry } from './catalog.js';

/** Account privileges of each system role (inherited ones are not repeated). */
const ACCOUNT_PRIVILEGES: Record<string, string[]> = {
  ACCOUNTADMIN: [
    'CREATE INTEGRATION', 'CREATE NETWORK POLICY', 'EXECUTE TASK', 'EXECUTE MANAGED TASK', 'EXECUTE ALERT',
    'MONITOR USAGE', 'MONITOR EXECUTION', 'CREATE SHARE', 'IMPORT SHARE', 'APPLY MASKING POLICY', 'CREATE RESOURCE MONITOR',
    'MANAGE ACCOUNT SUPPORT CASES', 'OVERRIDE SHARE RESTRICTIONS',
  ],
  SECURITYADMIN: ['MANAGE GRANTS', 'CREATE NETWORK POLICY'],
  USERADMIN: ['CREATE USER', 'CREATE ROLE'],
  SYSADMIN: ['CREATE DATABASE', 'CREATE WAREHOUSE'],
};

/** A new account's catalog. `hash` turns the documented password into its stored form. */
export function bootstrapCatalog(now: string, hash: (password: string) => string): CatalogData {
  const data = emptyCatalog(now);
  const id = (): number => data.nextId++;
  for (const name of SYSTEM_ROLES) {
    data.roles.push({ id: id(), name, owner: '', createdOn: now, comment: roleComment(name), system: true });
  }
  data.roleGrants.push(
    { role: 'SECURITYADMIN', granteeType: 'ROLE', grantee: 'ACCOUNTADMIN', grantedBy: '', createdOn: now },
    { role: 'SYSADMIN', granteeType: 'ROLE', grantee: 'ACCOUNTADMIN', grantedBy: '', createdOn: now },
    { role: 'USERADMIN', granteeType: 'ROLE', grantee: 'SECURITYADMIN', grantedBy: '', createdOn: now },
  );
  const grant = (privilege: string, role: string, on: GrantEntry['on']): void => {
    data.grants.push({ privilege, on, role, grantOption: false, grantedBy: '', createdOn: now });
  };
  for (const [role, privileges] of Object.entries(ACCOUNT_PRIVILEGES)) {
    for (const privilege of privileges) grant(privilege, role, { type: 'ACCOUNT' });
  }

  const warehouseId = id();
  data.warehouses.push({
    id: warehouseId, name: 'COMPUTE_WH', owner: 'SYSADMIN', createdOn: now, comment: 'Default warehouse of the sandbox',
    size: 'X-Small', state: 'SUSPENDED', autoSuspend: 600, autoResume: true, minClusterCount: 1, maxClusterCount: 1,
    scalingPolicy: 'STANDARD', resourceMonitor: null, statementTimeout: 172800, enableQueryAcceleration: false,
    queryAccelerationMaxScaleFactor: 8, warehouseType: 'STANDARD', resumedOn: null, updatedOn: now, lastActive: null,
  });

  const snowflakeDb = id();
  data.databases.push({ id: snowflakeDb, name: 'SNOWFLAKE', owner: '', createdOn: now, comment: 'Shared database of account usage views', transient: false });
  data.schemas.push({ id: id(), databaseId: snowflakeDb, name: 'ACCOUNT_USAGE', owner: '', createdOn: now, comment: null, transient: false, managedAccess: false });
  grant('IMPORTED PRIVILEGES', 'ACCOUNTADMIN', { type: 'DATABASE', id: snowflakeDb });

  const userId = id();
  data.users.push({
    id: userId, name: SANDBOX_DEFAULTS.user, owner: 'ACCOUNTADMIN', createdOn: now, comment: 'The sandbox operator',
    loginName: SANDBOX_DEFAULTS.user, displayName: SANDBOX_DEFAULTS.user, firstName: null, lastName: null, email: null,
    passwordHash: hash(SANDBOX_DEFAULTS.password), mustChangePassword: false, disabled: false,
    defaultRole: SANDBOX_DEFAULTS.role, defaultWarehouse: 'COMPUTE_WH', defaultNamespace: null, type: 'PERSON',
    rsaPublicKey: null, rsaPublicKey2: null, tokens: [], networkPolicy: null, lastSuccessLogin: null, daysToExpiry: null,
    minsToUnlock: null,
  });
  data.roleGrants.push({ role: 'ACCOUNTADMIN', granteeType: 'USER', grantee: SANDBOX_DEFAULTS.user, grantedBy: '', createdOn: now });
  data.parameters.DATA_RETENTION_TIME_IN_DAYS = '1';
  return data;
}

function roleComment(name: string): string {
  switch (name) {
    case 'ACCOUNTADMIN':
      return 'Account administrator can manage all aspects of the account.';
    case 'SECURITYADMIN':
      return 'Security administrator can manage security aspects of the account.';
    case 'USERADMIN':
      return 'User administrator can create and manage users and roles';
    case 'SYSADMIN':
      return 'System administrator can create and manage databases and warehouses.';
    default:
      return 'Pseudo-role with all users and roles in the account.';
  }
}
