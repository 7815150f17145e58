// Where internal stages keep their files. On disk a stage is a plain folder,
// <data dir>/stages/<DATABASE>/<SCHEMA>/<STAGE>/, so a trainee can drop a CSV there and see it in
// LIST @stage; an in-memory sandbox keeps them in a map.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A stage's place: database, schema and stage names. */
export type StageKey = readonly [string, string, string];

/** One staged file. */
export interface StageFile {
  /** Path inside the stage, with `/` separators. */
  name: string;
  size: number;
  md5: string;
  lastModified: Date;
}

/** Storage for internal stages' files. */
export interface StageFiles {
  list(stage: StageKey): Promise<StageFile[]>;
  read(stage: StageKey, name: string): Promise<Buffer>;
  write(stage: StageKey, name: string, content: Buffer): Promise<StageFile>;
  remove(stage: StageKey, name: string): Promise<void>;
  /** Removes a whole stage. */
  drop(stage: StageKey): Promise<void>;
  /** Moves a stage's files when it, its schema or its database is renamed. */
  move(from: StageKey, to: StageKey): Promise<void>;
  /** The folder a stage lives in, or undefined in memory. */
  folder(stage: StageKey): string | undefined;
}

function md5(content: Buffer): string {
  return createHash('md5').update(content).digest('hex');
}

/** Rejects file names that would leave the stage folder. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/\\/g, '/').replace(/^\/+/, '');
  if (!cleaned || cleaned.split('/').some((part) => part === '..' || part === '')) {
    throw new Error(`invalid file name '${name}': use a relative path without '..'`);
  }
  return cleaned;
}

/** Stage files in folders under a root. */
export class FolderStageFiles implements StageFiles {
  constructor(private readonly root: string) {}

  folder(stage: StageKey): string {
    return join(this.root, ...stage.map((part) => encodeURIComponent(part)));
  }

  async list(stage: StageKey): Promise<StageFile[]> {
    const base = this.folder(stage);
    const out: StageFile[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) {
          const content = await readFile(full);
          const info = await stat(full);
          out.push({ name: relative(base, full).split(sep).join('/'), size: content.length, md5: md5(content), lastModified: info.mtime });
        }
      }
    };
    await walk(base);
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private path(stage: StageKey, name: string): string {
    const base = this.folder(stage);
    const full = resolve(base, safeFileName(name));
    if (!full.startsWith(resolve(base) + sep)) throw new Error(`invalid file name '${name}'`);
    return full;
  }

  async read(stage: StageKey, name: string): Promise<Buffer> {
    return readFile(this.path(stage, name));
  }

  async write(stage: StageKey, name: string, content: Buffer): Promise<StageFile> {
    const full = this.path(stage, name);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    return { name: safeFileName(name), size: content.length, md5: md5(content), lastModified: new Date() };
  }

  async remove(stage: StageKey, name: string): Promise<void> {
    await rm(this.path(stage, name), { force: true });
  }

  async drop(stage: StageKey): Promise<void> {
    await rm(this.folder(stage), { recursive: true, force: true });
  }

  async move(from: StageKey, to: StageKey): Promise<void> {
    const source = this.folder(from);
    const target = this.folder(to);
    try {
      await stat(source);
    } catch {
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(source, target);
  }
}

/** Stage files in memory, for an in-memory sandbox. */
export class MemoryStageFiles implements StageFiles {
  private readonly stages = new Map<string, Map<string, { content: Buffer; lastModified: Date }>>();

  folder(): undefined {
    return undefined;
  }

  private files(stage: StageKey, create = false): Map<string, { content: Buffer; lastModified: Date }> | undefined {
    const key = stage.join('\u0000');
    let files = this.stages.get(key);
    if (!files && create) {
      files = new Map();
      this.stages.set(key, files);
    }
    return files;
  }

  async list(stage: StageKey): Promise<StageFile[]> {
    const files = this.files(stage);
    if (!files) return [];
    return [...files.entries()]
      .map(([name, file]) => ({ name, size: file.content.length, md5: md5(file.content), lastModified: file.lastModified }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async read(stage: StageKey, name: string): Promise<Buffer> {
    const file = this.files(stage)?.get(safeFileName(name));
    if (!file) throw new Error(`file '${name}' is not in the stage`);
    return file.content;
  }

  async write(stage: StageKey, name: string, content: Buffer): Promise<StageFile> {
    const clean = safeFileName(name);
    const lastModified = new Date();
    this.files(stage, true)!.set(clean, { content, lastModified });
    return { name: clean, size: content.length, md5: md5(content), lastModified };
  }

  async remove(stage: StageKey, name: string): Promise<void> {
    this.files(stage)?.delete(safeFileName(name));
  }

  async drop(stage: StageKey): Promise<void> {
    this.stages.delete(stage.join('\u0000'));
  }

  async move(from: StageKey, to: StageKey): Promise<void> {
    const files = this.files(from);
    if (!files) return;
    this.stages.delete(from.join('\u0000'));
    this.stages.set(to.join('\u0000'), files);
  }
}
