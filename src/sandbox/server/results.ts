// A stored result as the driver reads it (SNOWFLAKE-PROTOCOL.md §2.2, §2.10). Large results go out
// as an inline first part plus chunks the driver downloads itself, as Snowflake serves them from
// cloud storage: without the session token, and as rows joined by commas with no enclosing
// brackets. The chunk content type must not be JSON, or the driver parses it twice and hangs.
import type { ServerResponse } from 'node:http';
import type { QueryRecord, StoredResult } from './queries.js';

/** How results are split into chunks. */
export interface ChunkSizing {
  /** Values (rows × columns) per chunk; a result with fewer is sent inline whole. */
  chunkValues: number;
}

/** Rows per chunk for a result of this width. */
export function rowsPerChunk(result: StoredResult, sizing: ChunkSizing): number {
  return Math.max(1, Math.floor(sizing.chunkValues / Math.max(1, result.columns.length)));
}

/** The `data` of a successful query answer. */
export function resultData(
  record: QueryRecord,
  result: StoredResult,
  sizing: ChunkSizing,
  baseUrl: string,
  parameters: { name: string; value: unknown }[],
): Record<string, unknown> {
  const perChunk = rowsPerChunk(result, sizing);
  const total = result.rows.length;
  const inline = total <= perChunk ? result.rows : result.rows.slice(0, perChunk);
  const chunks: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
  for (let start = inline.length, index = 0; start < total; start += perChunk, index++) {
    const rowCount = Math.min(perChunk, total - start);
    // Sizes are only estimates; the driver uses them for memory accounting, not for parsing.
    const estimate = rowCount * result.columns.length * 16;
    chunks.push({ url: chunkUrl(baseUrl, record.id, index, result.chunkKey), rowCount, uncompressedSize: estimate, compressedSize: estimate });
  }
  return {
    parameters,
    rowtype: result.columns.map((column) => ({ ...column, collation: null })),
    rowset: inline,
    total,
    returned: total,
    queryId: record.id,
    databaseProvider: null,
    finalDatabaseName: result.finalDatabaseName,
    finalSchemaName: result.finalSchemaName,
    finalWarehouseName: result.finalWarehouseName,
    finalRoleName: result.finalRoleName,
    numberOfBinds: 0,
    arrayBindSupported: false,
    statementTypeId: result.statementTypeId,
    version: 1,
    sendResultTime: Date.now(),
    queryResultFormat: 'json',
    ...(chunks.length > 0 ? { chunks, chunkHeaders: {} } : {}),
    ...(result.resultIds !== undefined ? { resultIds: result.resultIds, resultTypes: resultTypes(result.resultIds) } : {}),
    queryContext: { entries: [] },
  };
}

/** Multi-statement answers list a type per child; the Node driver reads only the ids. */
function resultTypes(resultIds: string): string {
  return resultIds
    .split(',')
    .map(() => '4096')
    .join(',');
}

function chunkUrl(baseUrl: string, queryId: string, index: number, key: string): string {
  return `${baseUrl}/results/${queryId}/chunks/${index}?key=${key}`;
}

/** Matches the path of a chunk URL: query id and chunk index. */
export const CHUNK_PATH = /^\/results\/([0-9a-f-]{36})\/chunks\/(\d+)$/;

/** Sends chunk `index` of a result: rows as JSON arrays joined by commas, no brackets, not JSON-typed. */
export function sendChunk(response: ServerResponse, result: StoredResult, index: number, sizing: ChunkSizing): void {
  const perChunk = rowsPerChunk(result, sizing);
  const start = perChunk * (index + 1);
  const rows = result.rows.slice(start, start + perChunk);
  if (rows.length === 0) {
    sendMissingChunk(response);
    return;
  }
  const text = JSON.stringify(rows).slice(1, -1);
  response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** A chunk that does not exist (wrong key, result dropped): the way cloud storage says it. */
export function sendMissingChunk(response: ServerResponse): void {
  const text = 'The result chunk does not exist or is no longer kept by the sandbox.';
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
