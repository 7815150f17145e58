// A folder of runbooks read together, so what one runbook says about another (`requires`,
// `on-fail=runbook:<id>`) can be checked: the runbook named must exist, and ids must be unique.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Problem, Runbook, SourcePos } from './model.js';
import { parseRunbook, runbookId, type ParseResult } from './parse.js';
import { didYouMean, ProblemList, sortProblems } from './problems.js';

/** One runbook file of a library, read; `runbook` is absent when the file has errors. */
export interface LibraryEntry extends ParseResult {
  /** The file's path as read (folder joined with the file name). */
  path: string;
  /** The id the file is known by: its name without `.md`. */
  id: string;
}

/** Runbooks read together, with every problem found in them and between them. */
export interface Library {
  /** Every runbook file, sorted by file name, valid or not. */
  entries: LibraryEntry[];
  /** The runbooks without errors, in the same order. */
  runbooks: Runbook[];
  /** All problems, in reading order. */
  problems: Problem[];
}

const START: SourcePos = { line: 1, column: 1 };

/** Read and parse one runbook file. Never throws: an unreadable file is a problem too. */
export async function loadRunbook(path: string): Promise<ParseResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const problems = new ProblemList(path);
    problems.error(START, `cannot read this file: ${describeError(error)}`);
    return { problems: problems.items };
  }
  return parseRunbook(bytes, path);
}

/** Read every `*.md` file of a folder (README.md aside), sorted by name, and check them against each other. */
export async function loadLibrary(folder: string): Promise<Library> {
  const listed = await runbookFiles(folder);
  if ('problem' in listed) return { entries: [], runbooks: [], problems: [listed.problem] };
  return loadPaths(listed.files);
}

/**
 * Read runbooks given as files and folders (what `baton validate` is given). A single file's
 * `requires` may name its neighbours in the same folder even when they are not given.
 */
export async function loadPaths(paths: string[]): Promise<Library> {
  const files: string[] = [];
  const problems: Problem[] = [];
  const neighbours = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const listed = await runbookFiles(path);
      if ('problem' in listed) problems.push(listed.problem);
      else files.push(...listed.files);
    } else {
      files.push(path);
      const siblings = await runbookFiles(dirname(path));
      if ('files' in siblings) siblings.files.forEach((file) => neighbours.add(runbookId(file)));
    }
  }
  const entries: LibraryEntry[] = [];
  for (const path of [...new Set(files)]) {
    entries.push({ path, id: runbookId(path), ...(await loadRunbook(path)) });
  }
  problems.push(...entries.flatMap((entry) => entry.problems), ...checkLibrary(entries, neighbours));
  return { entries, runbooks: entries.flatMap((e) => (e.runbook ? [e.runbook] : [])), problems: sortProblems(problems) };
}

/**
 * Problems between runbooks: duplicate ids, and `requires` or `on-fail=runbook:` naming a runbook
 * that is not there, itself, or a circle of requirements. `alsoKnown` are ids that exist but were not read.
 */
export function checkLibrary(entries: readonly Pick<LibraryEntry, 'id' | 'path' | 'runbook'>[], alsoKnown: Iterable<string> = []): Problem[] {
  const found: Problem[] = [];
  const byId = new Map<string, string>();
  for (const entry of entries) {
    const clash = [...byId].find(([id]) => id.toLowerCase() === entry.id.toLowerCase());
    if (clash) {
      const list = new ProblemList(entry.path);
      list.error(START, `runbook id ${entry.id} is also the id of ${clash[1]}: rename one of the files`);
      found.push(...list.items);
    } else {
      byId.set(entry.id, entry.path);
    }
  }
  const known = [...new Set([...byId.keys(), ...alsoKnown])];
  const runbooks = entries.flatMap((entry) => (entry.runbook ? [entry.runbook] : []));
  for (const runbook of runbooks) {
    const list = new ProblemList(runbook.path);
    runbook.requires.forEach((id, i) => {
      const at = runbook.requiresPos?.[i] ?? START;
      if (id === runbook.id) list.error(at, `requires names this runbook itself (${id})`);
      else if (!known.includes(id)) list.error(at, `requires ${id}, but there is no runbook ${id}.md${didYouMean(id, known)}`);
    });
    for (const step of runbook.steps) {
      for (const action of step.actions) {
        const onFail = action.attrs.onFail;
        if (onFail?.kind !== 'runbook') continue;
        const at = action.attrPos?.['on-fail'] ?? action.pos;
        if (onFail.runbook === runbook.id) list.error(at, `on-fail=runbook:${onFail.runbook} names this runbook itself; name a recovery runbook`);
        else if (!known.includes(onFail.runbook)) {
          list.error(at, `on-fail=runbook:${onFail.runbook}, but there is no runbook ${onFail.runbook}.md${didYouMean(onFail.runbook, known)}`);
        }
      }
    }
    found.push(...list.items);
  }
  found.push(...requirementCircles(runbooks));
  return found;
}

/** A circle of `requires` could never start: report it once, on the runbook where it is first met. */
function requirementCircles(runbooks: Runbook[]): Problem[] {
  const byId = new Map(runbooks.map((runbook) => [runbook.id, runbook]));
  const state = new Map<string, 'visiting' | 'done'>();
  const found: Problem[] = [];
  const visit = (runbook: Runbook, trail: string[]): void => {
    if (state.get(runbook.id) === 'done') return;
    if (state.get(runbook.id) === 'visiting') {
      const circle = trail.slice(trail.indexOf(runbook.id));
      const first = byId.get(circle[0]!)!;
      const list = new ProblemList(first.path);
      const next = circle[1] ?? circle[0]!;
      list.error(first.requiresPos?.[first.requires.indexOf(next)] ?? START, `requires go round in a circle: ${[...circle, circle[0]].join(' → ')}`);
      found.push(...list.items);
      return;
    }
    state.set(runbook.id, 'visiting');
    for (const id of runbook.requires) {
      const next = byId.get(id);
      if (next && id !== runbook.id) visit(next, [...trail, runbook.id]);
    }
    state.set(runbook.id, 'done');
  };
  runbooks.forEach((runbook) => visit(runbook, []));
  return found;
}

async function runbookFiles(folder: string): Promise<{ files: string[] } | { problem: Problem }> {
  try {
    const names = await readdir(folder, { withFileTypes: true });
    const files = names
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && /\.md$/i.test(entry.name))
      .filter((entry) => !entry.name.startsWith('.') && entry.name.toLowerCase() !== 'readme.md')
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => join(folder, name));
    return { files };
  } catch (error) {
    const list = new ProblemList(folder);
    list.error(START, `cannot read the runbooks folder: ${describeError(error)}`);
    return { problem: list.items[0]! };
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder (give a .md file, or the folder to read all its runbooks)';
  if (code === 'ENOTDIR') return 'it is a file, not a folder';
  return (error as Error).message;
}
