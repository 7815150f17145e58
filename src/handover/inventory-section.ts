// "Live inventory": what the environment holds now, as Snowflake and the schedulers report it —
// not what the runbooks meant to create.
import type { InventoryJob, SchedulerReport } from '../executors/scheduler-inventory.js';
import type { Inventory } from './input.js';
import { clip, plural, table } from './markdown-text.js';
import type { GrantItem, SnowflakeInventory, SnowflakeSection } from './snowflake-inventory.js';
import type { Writer } from './writer.js';

/** Longest SQL text (task definitions, alert conditions) shown in a table cell. */
const SQL_CHARS = 160;

/** The inventory section. */
export function inventorySection(inventory: Inventory | undefined, w: Writer, environment: string): string[] {
  const lines = [w.heading(2, 'Live inventory', 'inventory'), ''];
  if (!inventory) {
    return [...lines, `Not read for this document (${w.code('--no-inventory')}). ${w.code(`baton handover --env ${environment}`)} includes it.`, ''];
  }
  const snowflake = inventory.snowflake;
  if (!snowflake) lines.push('This environment has no Snowflake connection.', '');
  else if ('error' in snowflake) lines.push(w.heading(3, 'Snowflake'), '', `**Could not be read:** ${w.say(snowflake.error)}`, '');
  else lines.push(...snowflakePart(snowflake, w));
  lines.push(...schedulerPart(inventory, w));
  return lines;
}

function snowflakePart(inv: SnowflakeInventory, w: Writer): string[] {
  const lines = [`Read from Snowflake at ${w.say(w.clock.dateTime(inv.takenAt))} as ${w.say(inv.source)}: what this role can see.`, ''];
  const section = (name: SnowflakeSection, title: string, body: string[], none: string) => {
    lines.push(w.heading(3, title), '');
    const error = inv.errors[name];
    if (error) lines.push(`**Could not be read:** ${w.say(error)}`, '');
    else lines.push(...(body.length > 0 ? body : [none]), '');
  };
  const monitored = new Map<string, string[]>();
  for (const wh of inv.warehouses) if (wh.resourceMonitor && wh.resourceMonitor !== 'null') monitored.set(wh.resourceMonitor, [...(monitored.get(wh.resourceMonitor) ?? []), wh.name]);

  section(
    'warehouses',
    'Warehouses',
    table(
      ['Warehouse', 'Size', 'State', 'Auto-suspend', 'Auto-resume', 'Resource monitor', 'Comment'],
      inv.warehouses.map((wh) => [w.code(wh.name), w.say(wh.size), w.say(wh.state), suspendText(wh.autoSuspend), w.say(wh.autoResume), w.say(none(wh.resourceMonitor)), w.say(wh.comment)]),
    ),
    'No warehouse.',
  );
  section(
    'databases',
    'Databases',
    table(['Database', 'Owner', 'Time Travel', 'Comment'], inv.databases.map((db) => [w.code(db.name), w.say(db.owner), daysText(db.retentionDays), w.say(db.comment)])),
    'No database apart from the system ones.',
  );
  section(
    'schemas',
    'Schemas',
    table(
      ['Schema', 'Owner', 'Time Travel', 'Comment'],
      inv.schemas.map((s) => [w.code(`${s.database}.${s.name}`), w.say(s.owner), daysText(s.retentionDays), w.say(s.comment)]),
    ),
    'No schema.',
  );
  section('roles', 'Roles and grants', rolesBody(inv, w), 'No role.');
  section(
    'tasks',
    'Tasks',
    table(
      ['Task', 'Warehouse', 'Schedule', 'After', 'State', 'Does'],
      inv.tasks.map((t) => [w.code(`${t.database}.${t.schema}.${t.name}`), w.say(none(t.warehouse)), w.say(none(t.schedule)), w.say(none(t.predecessors)), w.say(t.state), sql(t.definition, w)]),
    ),
    'No task.',
  );
  section(
    'streams',
    'Streams',
    table(
      ['Stream', 'On', 'Type', 'Mode', 'Stale'],
      inv.streams.map((s) => [w.code(`${s.database}.${s.schema}.${s.name}`), w.code(s.table), w.say(s.type), w.say(s.mode), w.say(s.stale)]),
    ),
    'No stream.',
  );
  section(
    'resourceMonitors',
    'Resource monitors',
    table(
      ['Monitor', 'Credit quota', 'Used', 'Resets', 'Level', 'Notify at', 'Suspend at', 'Suspend immediately at', 'Warehouses'],
      inv.resourceMonitors.map((m) => [
        w.code(m.name),
        w.say(none(m.creditQuota)),
        w.say(none(m.usedCredits)),
        w.say(none(m.frequency)),
        w.say(none(m.level)),
        w.say(none(m.notifyAt)),
        w.say(none(m.suspendAt)),
        w.say(none(m.suspendImmediatelyAt)),
        (monitored.get(m.name) ?? []).map((name) => w.code(name)).join(', ') || '—',
      ]),
      'lrrllllll',
    ),
    'No resource monitor.',
  );
  section(
    'alerts',
    'Alerts',
    table(
      ['Alert', 'Warehouse', 'Schedule', 'State', 'Fires when', 'Then'],
      inv.alerts.map((a) => [w.code(`${a.database}.${a.schema}.${a.name}`), w.say(none(a.warehouse)), w.say(none(a.schedule)), w.say(a.state), sql(a.condition, w), sql(a.action, w)]),
    ),
    'No alert.',
  );
  return lines;
}

function rolesBody(inv: SnowflakeInventory, w: Writer): string[] {
  if (inv.roles.length === 0) return [];
  const lines = table(
    ['Role', 'Inherits', 'Held by', 'Comment'],
    inv.roles.map((role) => [
      w.code(role.name),
      role.inherits.map((name) => w.code(name)).join(', ') || '—',
      role.grantedTo.map((name) => w.say(name)).join(', ') || '—',
      w.say(role.comment),
    ]),
  );
  lines.push('');
  for (const role of inv.roles) {
    if (role.grantsNote && role.grantsNote.startsWith('system role')) continue;
    if (role.grantsNote) {
      lines.push(`- ${w.code(role.name)}: ${w.say(role.grantsNote)}`);
      continue;
    }
    const grants = groupGrants(role.grants);
    lines.push(`- ${w.code(role.name)}${grants.length === 0 ? ': no privileges of its own' : ''}`);
    for (const g of grants) lines.push(`  - ${w.say(g.privileges)} on ${w.say(g.on)} ${g.names.map((name) => w.code(name)).join(', ')}`);
  }
  const system = inv.roles.filter((role) => role.grantsNote?.startsWith('system role')).map((role) => w.code(role.name));
  if (system.length > 0) lines.push('', `Grants of the system roles (${system.join(', ')}) are the account's own and are not listed.`);
  return lines;
}

/** Grants with the same privileges on the same kind of object, listed once with every object. */
function groupGrants(grants: GrantItem[]): { privileges: string; on: string; names: string[] }[] {
  const groups = new Map<string, { privileges: string; on: string; names: string[] }>();
  for (const grant of grants) {
    const privileges = [...grant.privileges].sort().join(', ');
    const key = `${grant.on}\u0000${privileges}`;
    const group = groups.get(key) ?? { privileges, on: grant.on.toLowerCase().replace(/_/g, ' '), names: [] };
    group.names.push(grant.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function schedulerPart(inventory: Inventory, w: Writer): string[] {
  const scheduler = inventory.scheduler;
  const reports = [scheduler?.autosys, scheduler?.controlm].filter((r): r is SchedulerReport => r !== undefined);
  const lines = [w.heading(3, 'Scheduler jobs'), ''];
  if (reports.length === 0) return [...lines, 'This environment has no AutoSys or Control-M scheduler configured.', ''];
  for (const report of reports) {
    const autosys = report === scheduler?.autosys;
    lines.push(`**${w.say(report.source)}** — ${plural(report.jobs.length, 'job')}, read at ${w.say(w.clock.dateTime(scheduler!.takenAt))}.`, '');
    if (report.error) lines.push(`**Could not be read completely:** ${w.say(report.error)}`, '');
    if (report.jobs.length === 0) continue;
    lines.push(
      ...table(
        ['Job', 'Type', autosys ? 'Box' : 'Folder', 'Status', 'Last start', 'Last end', 'Runs'],
        report.jobs.map((job) => [
          w.code(job.name),
          w.say(job.type || '—'),
          job.parent ? w.code(job.parent) : '—',
          `${w.say(job.status)}${job.statusName !== job.status ? ` (${w.say(job.statusName)})` : ''}`,
          w.say(job.lastStart ?? '—'),
          w.say(job.lastEnd ?? '—'),
          job.runs === null ? '—' : String(job.runs),
        ]),
        'llllllr',
      ),
      '',
    );
    const defined = report.jobs.filter((job) => Object.keys(job.definition).length > 0);
    if (defined.length === 0) continue;
    if (autosys) {
      lines.push('Definitions, as `autorep -q` prints them:', '', ...w.block(defined.map(jilText).join('\n\n'), 'jil'), '');
    } else {
      lines.push(
        ...table(
          ['Job', 'Definition'],
          defined.map((job) => [w.code(job.name), Object.entries(job.definition).map(([k, v]) => w.code(`${k}: ${v}`)).join(' ')]),
        ),
        '',
      );
    }
  }
  return lines;
}

/** A job's definition back in JIL, one attribute a line. */
function jilText(job: InventoryJob): string {
  const lines = [`insert_job: ${job.name}   job_type: ${job.type || 'CMD'}`];
  for (const [name, value] of Object.entries(job.definition)) {
    // As autorep -q prints them: descriptions and times (anything with a colon) in quotes.
    const quoted = name === 'description' || (name !== 'command' && value.includes(':')) ? `"${value.replace(/"/g, '\\"')}"` : value;
    lines.push(`${name}: ${quoted}`);
  }
  return lines.join('\n');
}

function sql(text: string, w: Writer): string {
  const flat = clip(text, SQL_CHARS);
  return flat === '' ? '—' : w.code(flat);
}

function none(value: string): string {
  return value === '' || value === 'null' ? '—' : value;
}

function suspendText(seconds: string): string {
  const n = Number(seconds);
  if (seconds === '' || seconds === 'null' || n === 0) return 'never';
  return Number.isFinite(n) ? `${n} s` : seconds;
}

function daysText(days: string): string {
  return days === '' ? '—' : `${days} ${days === '1' ? 'day' : 'days'}`;
}
