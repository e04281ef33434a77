/**
 * Runbook libraries from folders of markdown files. A scenario's `runbooks/` folder, when it exists, is that
 * scenario's whole library; otherwise the project's default library is served (`fixtures/runbooks/`, or
 * `SRE_AGENT_RUNBOOKS_DIR`). Files are read once, on first use; a file that cannot be parsed is left out and
 * reported through `problems()`, never failing the library.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type RunbookFile, buildRunbookLibrary } from '../../analyzers/runbooks/document.ts';
import { projectRoot } from '../../platform/paths.ts';
import { ToolError } from '../../tools/errors.ts';
import type { RunbookDocument, RunbookProblem, RunbooksProvider } from './port.ts';

interface Library {
  runbooks: RunbookDocument[];
  byId: Map<string, RunbookDocument>;
  problems: RunbookProblem[];
}

/** The project's default library: `SRE_AGENT_RUNBOOKS_DIR`, else `fixtures/runbooks/` in the project root. */
export function defaultRunbooksDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SRE_AGENT_RUNBOOKS_DIR?.trim();
  return fromEnv ? resolve(fromEnv) : join(projectRoot(), 'fixtures', 'runbooks');
}

/** The library a scenario uses: its own `runbooks/` folder when present, the default library otherwise. */
export function scenarioRunbooksDir(scenarioDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const own = join(resolve(scenarioDir), 'runbooks');
  return isDirectory(own) ? own : defaultRunbooksDir(env);
}

export function createFixtureRunbooksProvider(scenarioDir: string, env: NodeJS.ProcessEnv = process.env): RunbooksProvider {
  return createDirectoryRunbooksProvider(scenarioRunbooksDir(scenarioDir, env));
}

/** Every `*.md` file under `dir` (subfolders included) as a runbook library. */
export function createDirectoryRunbooksProvider(dir: string): RunbooksProvider & { problems(): Promise<RunbookProblem[]> } {
  const root = resolve(dir);
  let loading: Promise<Library> | undefined;
  const library = () => {
    loading ??= loadLibrary(root);
    // A failed read (a file being rewritten, a folder not mounted yet) must not poison later calls.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  return {
    async list() {
      return [...(await library()).runbooks];
    },
    async get(id: string) {
      return (await library()).byId.get(id) ?? null;
    },
    async problems() {
      return [...(await library()).problems];
    },
  };
}

async function loadLibrary(root: string): Promise<Library> {
  let paths: string[];
  try {
    paths = await markdownFiles(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ToolError('Unavailable', `The runbook library folder ${root} does not exist (set SRE_AGENT_RUNBOOKS_DIR to a folder of runbooks)`);
    throw new ToolError('Unavailable', `The runbook library folder ${root} cannot be read (${code ?? 'error'})`);
  }
  const files: RunbookFile[] = [];
  const unreadable: RunbookProblem[] = [];
  for (const path of paths) {
    try {
      files.push({ source: sourceName(path), text: await readFile(path, 'utf8') });
    } catch (error) {
      unreadable.push({ source: sourceName(path), message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, skipped: true });
    }
  }
  const built = buildRunbookLibrary(files);
  return {
    runbooks: built.runbooks,
    byId: new Map(built.runbooks.map((r) => [r.id, r])),
    problems: [...unreadable, ...built.problems],
  };
}

async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(path)));
    else if (/\.(md|markdown)$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Citations name files relative to the project when they are inside it (`fixtures/runbooks/x.md`), absolute otherwise. */
function sourceName(path: string): string {
  const rel = relative(projectRoot(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function isDirectory(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
