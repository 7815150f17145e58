// INFORMATION_SCHEMA and SNOWFLAKE.ACCOUNT_USAGE.
import type { NamePart } from './cursor.js';
import { compilationError } from './errors.js';
import type { Execution, Scope } from './execution.js';
import type { Resolver } from './resolve.js';
import type { Token } from './tokens.js';
import type { FunctionArg } from './translate.js';

/** A system view's SQL for a name, or undefined if the name is not a system view. */
export function systemView(_x: Execution, _scope: Scope, _parts: NamePart[]): string | undefined {
  return undefined;
}

/** A system table function's SQL. */
export function systemTableFunction(_x: Execution, _scope: Scope, name: string[], _args: FunctionArg[], _token: Token, _resolver: Resolver): string {
  throw compilationError(`Unknown table function ${name.join('.')}`);
}
