// Stages, file formats, LIST, COPY INTO.
import { compilationError } from './errors.js';
import type { Execution, Scope } from './execution.js';
import type { StageKey } from './stage-files.js';

/** A resolved stage reference. */
export interface StageRef {
  key: StageKey;
  path: string;
  display: string;
}

/** Resolves '@stage/path'. */
export function resolveStage(_x: Execution, _scope: Scope, text: string, _privilege: string): StageRef {
  throw compilationError(`stage ${text} not supported yet`);
}
