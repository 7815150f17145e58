// The "source system" a fresh sandbox starts with, so the bundled go-live runbooks have something
// to load: SOURCE_DB.PUBLIC.CUSTOMERS (200 rows), ORDERS (500 rows over three load dates) and
// ORDER_EVENTS (JSON), plus the same data as files in the internal stage @SOURCE_DB.PUBLIC.LANDING
// (customers.csv, orders/orders_<date>.csv, events/events.json) with CSV and JSON file formats.
// Everything is generated from a fixed seed: every sandbox has exactly the same rows.
import { randomUUID } from 'node:crypto';
import type { SnowflakeEngine } from './engine.js';

/** A small deterministic random generator (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hiroshi', 'Inés', 'Jonas', 'Kwame', 'Léa', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás', 'Uma', 'Viktor', 'Wei', 'Xenia', 'Yusuf', 'Zoë'];
const LAST_NAMES = ['Almeida', 'Berg', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Hansen', 'Ivanova', 'Jansen', 'Kowalski', 'López', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka', 'Ulrich', 'Varga', 'Wójcik', 'Xu', 'Yilmaz', 'Zhang'];
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'JP', 'PL', 'ES', 'NL', 'IN', 'BR'];
const SEGMENTS = ['RETAIL', 'SMB', 'ENTERPRISE'];
const STATUSES = ['NEW', 'SHIPPED', 'DELIVERED', 'DELIVERED', 'DELIVERED', 'CANCELLED', 'RETURNED'];
const CURRENCIES = ['EUR', 'EUR', 'USD', 'GBP'];
/** The load dates the orders are split by (one stage file each). */
export const SEED_LOAD_DATES = ['2024-06-01', '2024-06-02', '2024-06-03'];
/** Row counts of the seeded tables. */
export const SEED_COUNTS = { customers: 200, orders: 500, events: 60 } as const;

interface Customer {
  id: number;
  first: string;
  last: string;
  email: string | null;
  country: string;
  segment: string;
  createdAt: string;
  active: boolean;
}

interface Order {
  id: number;
  customer: number;
  date: string;
  status: string;
  amount: string;
  currency: string;
  updatedAt: string;
  notes: string | null;
  loadDate: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The seed rows, the same every time. */
export function seedRows(): { customers: Customer[]; orders: Order[]; events: string[] } {
  const random = generator(20240601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const customers: Customer[] = [];
  for (let id = 1; id <= SEED_COUNTS.customers; id++) {
    let first = pick(FIRST_NAMES);
    let last = pick(LAST_NAMES);
    // A few names that test quoting and Unicode in every layer.
    if (id === 7) last = "O'Brien";
    if (id === 13) last = 'Smith, Jr.';
    if (id === 21) [first, last] = ['李', '小龙'];
    if (id === 42) last = 'Dupont "Le Grand"';
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    customers.push({
      id,
      first,
      last,
      email: id % 11 === 0 ? null : `${first.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '') || 'customer'}.${id}@example.com`,
      country: pick(COUNTRIES),
      segment: pick(SEGMENTS),
      createdAt: `2023-${pad(month)}-${pad(day)} ${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:00`,
      active: id % 17 !== 0,
    });
  }
  const orders: Order[] = [];
  for (let id = 1; id <= SEED_COUNTS.orders; id++) {
    const loadDate = SEED_LOAD_DATES[Math.floor(((id - 1) * SEED_LOAD_DATES.length) / SEED_COUNTS.orders)]!;
    const status = pick(STATUSES);
    const cents = id % 97 === 0 ? 0 : Math.floor(random() * 50000) + 199;
    orders.push({
      id: 100000 + id,
      customer: 1 + Math.floor(random() * SEED_COUNTS.customers),
      date: loadDate,
      status,
      amount: (cents / 100).toFixed(2),
      currency: pick(CURRENCIES),
      updatedAt: `${loadDate} ${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:${pad(Math.floor(random() * 60))}`,
      notes: status === 'CANCELLED' ? 'cancelled by customer' : id % 9 === 0 ? 'gift wrap, deliver after 18:00' : null,
      loadDate,
    });
  }
  const events: string[] = [];
  for (let k = 1; k <= SEED_COUNTS.events; k++) {
    const order = orders[(k * 7) % orders.length]!;
    events.push(JSON.stringify({
      event_id: k,
      type: k % 5 === 0 ? 'refund' : 'status_change',
      order_id: order.id,
      at: `${order.loadDate}T${pad(k % 24)}:00:00Z`,
      payload: { status: order.status, items: [{ sku: `SKU-${100 + (k % 13)}`, qty: 1 + (k % 3) }, ...(k % 4 === 0 ? [{ sku: 'SKU-GIFT', qty: 1 }] : [])] },
      channel: k % 3 === 0 ? null : 'web',
    }));
  }
  return { customers, orders, events };
}

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: (string | number | boolean | null)[][]): string {
  return [header.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\n') + '\n';
}

/** The seed files as they sit in @SOURCE_DB.PUBLIC.LANDING. */
export function seedFiles(): Record<string, string> {
  const { customers, orders, events } = seedRows();
  const files: Record<string, string> = {
    'customers.csv': csv(
      ['CUSTOMER_ID', 'FIRST_NAME', 'LAST_NAME', 'EMAIL', 'COUNTRY', 'SEGMENT', 'CREATED_AT', 'IS_ACTIVE'],
      customers.map((c) => [c.id, c.first, c.last, c.email, c.country, c.segment, c.createdAt, c.active]),
    ),
    'events/events.json': events.join('\n') + '\n',
  };
  for (const date of SEED_LOAD_DATES) {
    files[`orders/orders_${date}.csv`] = csv(
      ['ORDER_ID', 'CUSTOMER_ID', 'ORDER_DATE', 'STATUS', 'AMOUNT', 'CURRENCY', 'UPDATED_AT', 'NOTES', 'LOAD_DATE'],
      orders.filter((o) => o.loadDate === date).map((o) => [o.id, o.customer, o.date, o.status, o.amount, o.currency, o.updatedAt, o.notes, o.loadDate]),
    );
  }
  return files;
}

const SEED_SQL = [
  'USE ROLE SYSADMIN',
  "CREATE DATABASE SOURCE_DB COMMENT = 'Sample source system for the bundled runbooks'",
  `CREATE FILE FORMAT SOURCE_DB.PUBLIC.CSV_FORMAT TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '"' NULL_IF = ('') EMPTY_FIELD_AS_NULL = TRUE`,
  'CREATE FILE FORMAT SOURCE_DB.PUBLIC.JSON_FORMAT TYPE = JSON',
  "CREATE STAGE SOURCE_DB.PUBLIC.LANDING FILE_FORMAT = (FORMAT_NAME = 'SOURCE_DB.PUBLIC.CSV_FORMAT') COMMENT = 'Landing files of the source system'",
  `CREATE TABLE SOURCE_DB.PUBLIC.CUSTOMERS (
     CUSTOMER_ID NUMBER(10,0) NOT NULL, FIRST_NAME VARCHAR(100), LAST_NAME VARCHAR(100), EMAIL VARCHAR(200),
     COUNTRY VARCHAR(2), SEGMENT VARCHAR(20), CREATED_AT TIMESTAMP_NTZ, IS_ACTIVE BOOLEAN)`,
  `CREATE TABLE SOURCE_DB.PUBLIC.ORDERS (
     ORDER_ID NUMBER(12,0) NOT NULL, CUSTOMER_ID NUMBER(10,0), ORDER_DATE DATE, STATUS VARCHAR(20), AMOUNT NUMBER(12,2),
     CURRENCY VARCHAR(3), UPDATED_AT TIMESTAMP_NTZ, NOTES VARCHAR(500), LOAD_DATE DATE)`,
  'CREATE TABLE SOURCE_DB.PUBLIC.ORDER_EVENTS (RAW VARIANT)',
  "COPY INTO SOURCE_DB.PUBLIC.CUSTOMERS FROM @SOURCE_DB.PUBLIC.LANDING FILES = ('customers.csv')",
  "COPY INTO SOURCE_DB.PUBLIC.ORDERS FROM @SOURCE_DB.PUBLIC.LANDING PATTERN = 'orders/.*[.]csv'",
  "COPY INTO SOURCE_DB.PUBLIC.ORDER_EVENTS FROM @SOURCE_DB.PUBLIC.LANDING/events/ FILE_FORMAT = (FORMAT_NAME = 'SOURCE_DB.PUBLIC.JSON_FORMAT')",
  'USE ROLE ACCOUNTADMIN',
];

/** Loads the seed into a new sandbox, through the engine's own SQL (as SYSADMIN). */
export async function seedSandbox(engine: SnowflakeEngine): Promise<void> {
  const session = await engine.openSession('OPERATOR', { authentication: 'SANDBOX_SEED' }, { record: false });
  const signal = new AbortController().signal;
  try {
    const run = (sql: string): Promise<unknown> => engine.execute(session, { sql, queryId: randomUUID() }, signal);
    for (const sql of SEED_SQL.slice(0, 5)) await run(sql);
    for (const [name, content] of Object.entries(seedFiles())) {
      await engine.stageFiles.write(['SOURCE_DB', 'PUBLIC', 'LANDING'], name, Buffer.from(content, 'utf8'));
    }
    for (const sql of SEED_SQL.slice(5)) await run(sql);
  } finally {
    await engine.closeSession(session);
  }
}
