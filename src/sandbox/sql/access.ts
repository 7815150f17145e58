// Role-based access control as Snowflake does it: a role holds the privileges granted to it and
// to every role granted to it (the hierarchy below it, PUBLIC always included); owning an object
// means holding every privilege on it. Pure computations over the catalog.
import type { Catalog, Entry, GrantTarget } from './catalog.js';

/** The system roles every account has, highest first. */
export const SYSTEM_ROLES = ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'PUBLIC'] as const;

/** Whether two grant targets are the same object. */
export function sameTarget(a: GrantTarget, b: GrantTarget): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'ACCOUNT') return true;
  return (a as { id: number }).id === (b as { id: number }).id;
}

/** RBAC checks over a catalog. */
export class Access {
  constructor(private readonly catalog: Catalog) {}

  /** A role and every role below it in the hierarchy, PUBLIC included. */
  closure(role: string): Set<string> {
    const seen = new Set<string>([role, 'PUBLIC']);
    const queue = [role];
    const grants = this.catalog.data.roleGrants;
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const grant of grants) {
        if (grant.granteeType === 'ROLE' && grant.grantee === current && !seen.has(grant.role)) {
          seen.add(grant.role);
          queue.push(grant.role);
        }
      }
    }
    return seen;
  }

  /** Roles a user may activate: those granted to them and everything below those. */
  usableRoles(user: string): Set<string> {
    const out = new Set<string>(['PUBLIC']);
    for (const grant of this.catalog.data.roleGrants) {
      if (grant.granteeType === 'USER' && grant.grantee === user) {
        for (const role of this.closure(grant.role)) out.add(role);
      }
    }
    return out;
  }

  /** Roles granted directly to a user. */
  directRoles(user: string): string[] {
    return this.catalog.data.roleGrants.filter((g) => g.granteeType === 'USER' && g.grantee === user).map((g) => g.role);
  }

  /** Whether any of the roles owns the entry. */
  owns(roles: Set<string>, entry: Pick<Entry, 'owner'>): boolean {
    return roles.has(entry.owner);
  }

  /** Whether the roles hold a privilege on a target (ownership counts; ALL covers everything but OWNERSHIP). */
  has(roles: Set<string>, target: GrantTarget, privilege: string): boolean {
    const owner = this.ownerOf(target);
    if (owner && roles.has(owner)) return true;
    return this.catalog.data.grants.some(
      (grant) =>
        roles.has(grant.role) &&
        sameTarget(grant.on, target) &&
        (grant.privilege === privilege || (grant.privilege === 'ALL' && privilege !== 'OWNERSHIP')),
    );
  }

  /** Whether the roles hold any privilege at all on a target (what makes an object visible). */
  hasAny(roles: Set<string>, target: GrantTarget): boolean {
    const owner = this.ownerOf(target);
    if (owner && roles.has(owner)) return true;
    return this.catalog.data.grants.some((grant) => roles.has(grant.role) && sameTarget(grant.on, target));
  }

  /** Whether the roles hold an account-level privilege (CREATE DATABASE, MANAGE GRANTS, …). */
  hasAccount(roles: Set<string>, privilege: string): boolean {
    return this.has(roles, { type: 'ACCOUNT' }, privilege);
  }

  /** Whether the roles can grant a privilege on the target: owner, WITH GRANT OPTION, or MANAGE GRANTS. */
  canGrant(roles: Set<string>, target: GrantTarget, privilege: string): boolean {
    if (this.hasAccount(roles, 'MANAGE GRANTS')) return true;
    const owner = this.ownerOf(target);
    if (owner && roles.has(owner)) return true;
    return this.catalog.data.grants.some(
      (grant) => roles.has(grant.role) && sameTarget(grant.on, target) && grant.grantOption && (grant.privilege === privilege || grant.privilege === 'ALL'),
    );
  }

  /** The owning role of a grant target, if it has one. */
  ownerOf(target: GrantTarget): string | undefined {
    const c = this.catalog;
    switch (target.type) {
      case 'ACCOUNT':
        return undefined;
      case 'DATABASE':
        return c.databaseById(target.id)?.owner;
      case 'SCHEMA':
        return c.schemaById(target.id)?.owner;
      case 'OBJECT':
        return c.objectById(target.id)?.owner;
      case 'WAREHOUSE':
        return c.data.warehouses.find((w) => w.id === target.id)?.owner;
      case 'ROLE':
        return c.data.roles.find((r) => r.id === target.id)?.owner;
      case 'USER':
        return c.data.users.find((u) => u.id === target.id)?.owner;
      case 'INTEGRATION':
        return c.data.integrations.find((i) => i.id === target.id)?.owner;
      case 'RESOURCE_MONITOR':
        return c.data.resourceMonitors.find((m) => m.id === target.id)?.owner;
      case 'NETWORK_POLICY':
        return c.data.networkPolicies.find((p) => p.id === target.id)?.owner;
    }
  }

  /** Whether a database is visible: USAGE, ownership or any privilege on it or on something in it. */
  databaseVisible(roles: Set<string>, databaseId: number): boolean {
    return this.has(roles, { type: 'DATABASE', id: databaseId }, 'USAGE') || this.hasAny(roles, { type: 'DATABASE', id: databaseId });
  }

  /** Whether a role may use a database (USAGE or ownership). */
  databaseUsable(roles: Set<string>, databaseId: number): boolean {
    const target = { type: 'DATABASE' as const, id: databaseId };
    return this.has(roles, target, 'USAGE') || this.has(roles, target, 'IMPORTED PRIVILEGES');
  }

  /** Whether a role may use a schema (USAGE or ownership). */
  schemaUsable(roles: Set<string>, schemaId: number): boolean {
    const schema = this.catalog.schemaById(schemaId);
    if (schema?.name === 'INFORMATION_SCHEMA') return true;
    if (schema && this.has(roles, { type: 'DATABASE', id: schema.databaseId }, 'IMPORTED PRIVILEGES')) return true;
    return this.has(roles, { type: 'SCHEMA', id: schemaId }, 'USAGE');
  }
}
