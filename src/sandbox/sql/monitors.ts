// Credits and resource monitors: warehouse activity (resume/suspend/resize events) becomes hourly
// metering with each size's credits per hour; a monitor whose quota is used up at a SUSPEND trigger
// keeps its warehouses from resuming.
import { SandboxError } from '../engine-api.js';
import type { ResourceMonitorEntry, WarehouseEntry } from './catalog.js';
import type { Execution } from './execution.js';
import { CREDITS_SQL } from './warehouses.js';

/** Hourly metering rows from warehouse events (a table expression). */
export const METERING_SQL = `(
  WITH ev AS (
    SELECT warehouse_id, warehouse_name, size, event, event_time,
           lead(event_time) OVER (PARTITION BY warehouse_id ORDER BY event_time, rowid) AS next_time
    FROM meta.warehouse_events),
  run AS (
    SELECT warehouse_id, warehouse_name, size, event_time AS s, coalesce(next_time, now()) AS e
    FROM ev WHERE event IN ('RESUME', 'RESIZE')),
  hours AS (
    SELECT run.*, h FROM run, unnest(generate_series(date_trunc('hour', run.s), run.e, INTERVAL 1 HOUR)) AS g(h)
    WHERE h < run.e)
  SELECT h AS start_time, h + INTERVAL 1 HOUR AS end_time, warehouse_id, any_value(warehouse_name) AS warehouse_name,
         sum(${CREDITS_SQL('size')} * epoch(least(e, h + INTERVAL 1 HOUR) - greatest(s, h)) / 3600.0) AS credits_compute
  FROM hours GROUP BY h, warehouse_id)`;

/** When a monitor's current period began. */
function periodStart(monitor: ResourceMonitorEntry, now = new Date()): Date {
  const start = new Date(monitor.startTime);
  const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m, d));
  let period: Date;
  switch (monitor.frequency) {
    case 'DAILY':
      period = utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      break;
    case 'WEEKLY':
      period = utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
      break;
    case 'YEARLY':
      period = utc(now.getUTCFullYear(), 0, 1);
      break;
    case 'NEVER':
      period = start;
      break;
    default:
      period = utc(now.getUTCFullYear(), now.getUTCMonth(), 1);
  }
  return period > start ? period : start;
}

/** Credits used in the monitor's current period by the warehouses it watches. */
export async function creditsUsed(x: Execution, monitor: ResourceMonitorEntry): Promise<number> {
  const watched = monitor.level === 'ACCOUNT' ? x.catalog.data.warehouses : x.catalog.data.warehouses.filter((w) => w.resourceMonitor === monitor.name);
  if (watched.length === 0) return 0;
  const reader = await x.engine.store.admin.runAndReadAll(
    `SELECT coalesce(sum(credits_compute), 0)
     FROM ${METERING_SQL} WHERE end_time > CAST($1 AS TIMESTAMPTZ) AND warehouse_id IN (${watched.map((w) => w.id).join(', ')})`,
    [periodStart(monitor).toISOString()],
  );
  return Number(reader.getRows()[0]![0] ?? 0);
}

/** Refuses to resume a warehouse whose monitor's quota is used up at a SUSPEND trigger. */
export async function checkMonitors(x: Execution, warehouse: WarehouseEntry): Promise<void> {
  const monitors = x.catalog.data.resourceMonitors.filter((m) => m.level === 'ACCOUNT' || m.name === warehouse.resourceMonitor);
  for (const monitor of monitors) {
    if (monitor.creditQuota === null) continue;
    const suspendAt = monitor.triggers.filter((t) => t.action !== 'NOTIFY').map((t) => t.percent);
    if (suspendAt.length === 0) continue;
    const used = await creditsUsed(x, monitor);
    if (used >= (monitor.creditQuota * Math.min(...suspendAt)) / 100) {
      throw new SandboxError('000606', '57P03', `Warehouse '${warehouse.name}' cannot be resumed because resource monitor '${monitor.name}' has exceeded its quota.`);
    }
  }
}
