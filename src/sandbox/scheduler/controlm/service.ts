// The Control-M Automation API fake under `/automation-api` (OPS-REFERENCE §2.1–2.3): login and
// tokens (or an API key), deploy/build/run of definitions files, orders, job and run status,
// job actions, output and log, conditions, servers. Errors are `{"errors":[…]}` as the API sends.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { SANDBOX_CONTROLM_LOGIN } from '../../../scheduler/sandbox-endpoints.js';
import type { SandboxService, SandboxServiceOptions } from '../../service.js';
import { sandboxJobFolder, sandboxJobVariables, type JobVariables } from '../job-process.js';
import { readBody, routeOf, sendJson, sendText } from '../http.js';
import { apiError, ApiError, apiTime, compactTime, controlmData, fill, type JobInstance } from './model.js';
import { JOB_ACTIONS, ControlmWorkbench, type ControlmTimings, type JobAction } from './workbench.js';

/** Options of the Control-M service beyond the sandbox's own. */
export interface ControlmServiceOptions extends SandboxServiceOptions {
  /** Users and their passwords; default `{ sandbox: 'sandbox' }`. */
  users?: Record<string, string>;
  /** API keys accepted in `x-api-key`; default `['sandbox-api-key']`. */
  apiKeys?: string[];
  /** How long a session token lives, default 30 minutes. */
  tokenTtlMs?: number;
  /** Control-M/Server name, default `workbench`. */
  server?: string;
  /** Working folder of job commands (default `<sandbox data>/jobs`). */
  jobCwd?: string;
  /** Extra environment for job commands (undefined: the sandbox process's own). */
  jobEnv?: JobVariables;
  timings?: Partial<ControlmTimings>;
}

/** The Control-M service with what tests need to reach. */
export interface ControlmService extends SandboxService {
  readonly workbench: ControlmWorkbench;
  /** End every session now, as a token timeout would. */
  expireTokens(): void;
}

/** Default user of the sandbox's Control-M (not a secret: the fake runs on this machine only). */
export const SANDBOX_CONTROLM_USER = SANDBOX_CONTROLM_LOGIN.user;
/** Default password of the sandbox's Control-M user. */
export const SANDBOX_CONTROLM_PASSWORD = SANDBOX_CONTROLM_LOGIN.password;

const PREFIX = '/automation-api';

/** Create the Control-M fake; its state lives in `<dataDir>/controlm`. */
export async function createControlmService(options: ControlmServiceOptions): Promise<ControlmService> {
  const workbench = new ControlmWorkbench({
    dataDir: join(options.dataDir, 'controlm'),
    server: options.server,
    jobCwd: options.jobCwd ?? sandboxJobFolder(options.dataDir),
    jobEnv: sandboxJobVariables(options.dataDir, options.baseUrl, options.jobEnv),
    timings: options.timings,
    log: options.log,
  });
  const users = options.users ?? { [SANDBOX_CONTROLM_USER]: SANDBOX_CONTROLM_PASSWORD };
  const apiKeys = new Set(options.apiKeys ?? ['sandbox-api-key']);
  const ttl = options.tokenTtlMs ?? 30 * 60_000;
  const sessions = new Map<string, { user: string; expires: number }>();
  const base = (): string => options.baseUrl() + PREFIX;

  const authenticate = (request: IncomingMessage): string => {
    const key = request.headers['x-api-key'];
    if (typeof key === 'string') {
      if (!apiKeys.has(key)) throw apiError('badApiKey');
      return 'api-key';
    }
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const session = match ? sessions.get(match[1]!) : undefined;
    if (!session || session.expires < Date.now()) {
      if (match) sessions.delete(match[1]!);
      throw apiError('unauthorized');
    }
    return session.user;
  };

  const statusOf = (job: JobInstance): Record<string, unknown> => {
    const jobId = workbench.jobId(job);
    const uri = `${base()}/run/job/${jobId}`;
    const folderRow = job.type === 'Folder';
    const neverRan = job.numberOfRuns === 0;
    return {
      jobId,
      folderId: folderRow ? `${workbench.server}:` : `${workbench.server}:${job.folderOrderId}`,
      numberOfRuns: job.numberOfRuns,
      name: job.name,
      folder: job.folder,
      type: job.type,
      status: job.status,
      held: job.held,
      deleted: job.deleted,
      cyclic: false,
      startTime: apiTime(job.startTime),
      endTime: apiTime(job.endTime),
      estimatedStartTime: job.startTime ? [compactTime(job.startTime)] : [],
      estimatedEndTime: job.endTime ? [compactTime(job.endTime)] : [],
      orderDate: job.orderDate,
      ctm: workbench.server,
      description: job.description,
      host: job.host,
      application: job.application,
      subApplication: job.subApplication,
      outputURI: folderRow ? controlmData.texts.folderOutput : neverRan ? controlmData.texts.neverRunOutput : `${uri}/output`,
      logURI: `${uri}/log`,
    };
  };

  const statusList = (jobs: JobInstance[], startIndex: number, limit: number, extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const page = jobs.slice(startIndex, startIndex + limit);
    return {
      statuses: page.map(statusOf),
      startIndex,
      itemsPerPage: limit,
      returned: page.length,
      total: jobs.length,
      ...extra,
    };
  };

  const routes = async (request: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<{ status: number; json?: unknown; text?: string }> => {
    if (method === 'POST' && path === '/session/login') {
      const body = await jsonBody(request);
      const username = String(body.username ?? '');
      if (!Object.hasOwn(users, username) || users[username] !== String(body.password ?? '')) {
        options.log?.(`controlm: login refused for user ${JSON.stringify(username)}`);
        throw apiError('loginFailed');
      }
      const token = randomBytes(24).toString('hex').toUpperCase();
      sessions.set(token, { user: username, expires: Date.now() + ttl });
      return { status: 200, json: { username, token, version: controlmData.version } };
    }
    const user = authenticate(request);
    if (method === 'POST' && path === '/session/logout') {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      sessions.delete(token);
      return { status: 200, json: { message: fill(controlmData.texts.logout, { token: token.slice(0, 6) + '…' }) } };
    }
    if (method === 'GET' && path === '/config/servers') {
      return { status: 200, json: [{ name: workbench.server, host: 'localhost', state: 'Up', message: 'Connected', version: controlmData.version }] };
    }
    if (method === 'POST' && (path === '/deploy' || path === '/build' || path === '/run')) {
      const field = path === '/run' ? 'jobDefinitionsFile' : 'definitionsFile';
      const file = (await multipartFiles(request))[field];
      if (!file) throw apiError('missingFile');
      const result = workbench.deploy(file.filename, file.content, path !== '/build');
      if (path !== '/run') return { status: 200, json: [result] };
      const runs = result.deployedFolders.map((folder) => workbench.order({ folder, user }));
      return { status: 200, json: runResult(runs[0]!.runId) };
    }
    if (method === 'POST' && path === '/run/order') {
      const body = await jsonBody(request);
      if (typeof body.folder !== 'string' || body.folder === '') throw apiError('badRequest', { reason: 'folder is required' });
      const run = workbench.order({
        ctm: typeof body.ctm === 'string' && body.ctm !== '' ? body.ctm : undefined,
        folder: body.folder,
        jobs: typeof body.jobs === 'string' ? body.jobs : undefined,
        hold: body.hold === true,
        orderDate: typeof body.orderDate === 'string' ? body.orderDate : undefined,
        variables: Array.isArray(body.variables) ? (body.variables as Record<string, string>[]) : undefined,
        independentFlow: body.independentFlow === true,
        user,
      });
      return { status: 200, json: runResult(run.runId) };
    }
    let match = /^\/run\/status\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const run = workbench.run(decodeURIComponent(match[1]!));
      const jobs = workbench.instances().filter((j) => j.orderId === run.folderOrderId || run.orderIds.includes(j.orderId));
      return { status: 200, json: statusList(jobs, Number(query.get('startIndex') ?? 0), controlmData.itemsPerPage, { completion: controlmData.completion }) };
    }
    if (method === 'GET' && path === '/run/jobs/status') {
      const jobs = workbench.instances().filter(jobFilter(query, workbench.server));
      return { status: 200, json: statusList(jobs, 0, Number(query.get('limit') ?? 1000)) };
    }
    match = /^\/run\/job\/([^/]+)\/status$/.exec(path);
    if (method === 'GET' && match) return { status: 200, json: statusOf(workbench.instance(match[1]!)) };
    match = /^\/run\/job\/([^/]+)\/output$/.exec(path);
    if (method === 'GET' && match) return { status: 200, text: workbench.output(match[1]!, Number(query.get('runNo') ?? 0)) };
    match = /^\/run\/job\/([^/]+)\/log$/.exec(path);
    if (method === 'GET' && match) return { status: 200, text: workbench.logOf(match[1]!) };
    match = /^\/run\/job\/([^/]+)\/([A-Za-z]+)$/.exec(path);
    if (method === 'POST' && match && JOB_ACTIONS.includes(match[2] as JobAction)) {
      const jobId = decodeURIComponent(match[1]!);
      const message = workbench.act(jobId, match[2] as JobAction, user);
      if (match[2] === 'rerun') return { status: 200, json: statusOf(workbench.instance(jobId)) };
      return { status: 200, json: { message } };
    }
    match = /^\/run\/event\/([^/]+)$/.exec(path);
    if (method === 'POST' && match) {
      const body = await jsonBody(request);
      workbench.addEvent(decodeURIComponent(match[1]!), String(body.name ?? ''), String(body.date ?? 'ODAT'));
      return { status: 200, json: { message: `Event ${String(body.name)} added` } };
    }
    match = /^\/run\/event\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && match) {
      workbench.deleteEvent(decodeURIComponent(match[1]!), decodeURIComponent(match[2]!), decodeURIComponent(match[3]!));
      return { status: 200, json: { message: `Event ${decodeURIComponent(match[2]!)} deleted` } };
    }
    throw apiError('notFound', { method, path });
  };

  const runResult = (runId: string): Record<string, string> => ({
    runId,
    statusURI: `${base()}/run/status/${runId}`,
    monitorPageURI: `${options.baseUrl()}/ControlM/Monitoring/${runId}`,
  });

  return {
    name: 'controlm',
    prefix: PREFIX,
    workbench,
    expireTokens: () => sessions.clear(),
    async handle(request, response) {
      const { path, query } = routeOf(request, PREFIX);
      try {
        const answer = await routes(request, request.method ?? 'GET', path, query);
        if (answer.text !== undefined) sendText(response, answer.status, answer.text);
        else sendJson(response, answer.status, answer.json);
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError(500, (error as Error).message);
        sendJson(response, failure.status, failure.body());
      }
    },
    close: () => workbench.close(),
  };
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(request)).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw apiError('badRequest', { reason: 'the request body must be a JSON object' });
}

/** The file parts of a multipart/form-data body, by field name. */
async function multipartFiles(request: IncomingMessage): Promise<Record<string, { filename: string; content: string }>> {
  const type = request.headers['content-type'] ?? '';
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  const body = await readBody(request);
  if (!type.toLowerCase().startsWith('multipart/form-data') || !boundary) {
    throw apiError('badRequest', { reason: 'expected multipart/form-data with a definitionsFile part' });
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!.trim()}`);
  const files: Record<string, { filename: string; content: string }> = {};
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? name ?? 'definitions.json';
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      if (name) files[name] = { filename, content: content.toString('utf8') };
    }
    start = next;
  }
  return files;
}

// `GET /run/jobs/status` filters: exact or `*` wildcard values; `status` may list several.
function jobFilter(query: URLSearchParams, server: string): (job: JobInstance) => boolean {
  const tests: ((job: JobInstance) => boolean)[] = [];
  const text = (key: string, pick: (job: JobInstance) => string): void => {
    const wanted = query.get(key);
    if (wanted === null || wanted === '') return;
    const patterns = key === 'status' ? wanted.split(',') : [wanted];
    const regexes = patterns.map((p) => new RegExp('^' + p.trim().split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 'i'));
    tests.push((job) => regexes.some((r) => r.test(pick(job))));
  };
  text('jobname', (j) => j.name);
  text('folder', (j) => j.folder);
  text('status', (j) => j.status);
  text('application', (j) => j.application);
  text('subApplication', (j) => j.subApplication);
  text('host', (j) => j.host);
  text('description', (j) => j.description);
  text('jobid', (j) => `${server}:${j.orderId}`);
  text('ctm', () => server);
  text('server', () => server);
  const held = query.get('held');
  if (held === 'true' || held === 'false') tests.push((j) => j.held === (held === 'true'));
  const deleted = query.get('deleted');
  tests.push((j) => j.deleted === (deleted === 'true'));
  return (job) => tests.every((test) => test(job));
}
