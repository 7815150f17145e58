// What the handover document is made from: run records, the runbooks folder, the environment and
// (optionally) a live inventory. Gathered at the edge (generate.ts); everything after is pure.
import type { Environment } from '../config/environment.js';
import type { SchedulerInventory } from '../executors/scheduler-inventory.js';
import type { RunRecord } from '../store/record.js';
import type { SnowflakeInventory } from './snowflake-inventory.js';
import type { Clock } from './times.js';

/** A runbook of the folder, as the document describes it. */
export interface RunbookEntry {
  id: string;
  title: string;
  /** Path as the operator types it (relative to the working directory when inside it). */
  path: string;
  summary?: string;
  tags: string[];
  /** Environments it may run in; every one when absent. */
  environments?: string[];
  /** Its step titles, in order: what a monitoring runbook checks. */
  steps: string[];
  /** Names of its secret variables: their values are never recorded or written. */
  secretVariables: string[];
}

/** The live inventory of an environment, or why it is missing. */
export interface Inventory {
  snowflake?: SnowflakeInventory | { error: string };
  scheduler?: SchedulerInventory;
}

/** Everything the document is rendered from. */
export interface HandoverInput {
  /** The environment the document is about. */
  environment: Environment;
  /** Every environment of baton.yaml, to say where practice happened. */
  environments: Environment[];
  generatedAt: Date;
  /** Who generated it. */
  generatedBy: string;
  /** Runs started before this are left out. */
  since?: Date;
  /** Every readable run of the period, in every environment, oldest first. */
  runs: RunRecord[];
  /** The runbooks folder's runbooks, in file order. */
  runbooks: RunbookEntry[];
  /** Records that could not be read, and runbooks that could not be parsed: one line each. */
  problems: string[];
  /** Absent when the inventory was turned off. */
  inventory?: Inventory;
  /** Where things live, as the operator would type the paths. */
  places: { stateDir: string; runbooksDir: string };
  /** Secret values known while generating (from-env, Control-M passwords …): masked wherever they appear. */
  secrets: string[];
  clock: Clock;
}
