// The sample "source system" a fresh sandbox starts with.
import type { SnowflakeEngine } from './engine.js';

/** Loads the seed data into a new sandbox. */
export async function seedSandbox(_engine: SnowflakeEngine): Promise<void> {}
