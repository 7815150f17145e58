// Tasks and alerts.
import type { Execution } from './execution.js';

/** Resumes a task and its dependents. */
export async function resumeTaskTree(_x: Execution, _name: string): Promise<void> {}
