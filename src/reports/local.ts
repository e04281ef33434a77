/** Reports in a local folder (`.sre-agent/reports` by default), addressed by `file://` URIs. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stateDir } from '../platform/paths.ts';
import { ForeignReportUri, type ReportRepository, checkReportId } from './port.ts';

export function defaultReportsDir(): string {
  return join(stateDir(), 'reports');
}

export function createLocalReportStore(options: { dir?: string } = {}): ReportRepository {
  const dir = resolve(options.dir ?? defaultReportsDir());
  // Flat: the ids already carry the date (inv-YYYYMMDD-…), and a flat folder is easy to browse.
  const pathFor = (id: string): string => join(dir, `${checkReportId(id)}.md`);

  function pathOf(uri: string): string {
    let path: string;
    try {
      path = resolve(fileURLToPath(uri));
    } catch {
      throw new ForeignReportUri(`'${uri}' is not a file URI`);
    }
    if (!path.startsWith(dir + sep) || !path.endsWith('.md')) throw new ForeignReportUri(`'${uri}' is not in the reports folder ${dir}`);
    return path;
  }

  return {
    uriFor: (id) => pathToFileURL(pathFor(id)).href,
    async put(id, markdown) {
      const path = pathFor(id);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Write then rename, so a reader never sees half a report.
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, markdown, { encoding: 'utf8', mode: 0o600 });
      await rename(tmp, path);
      return pathToFileURL(path).href;
    },
    async read(uri) {
      try {
        return await readFile(pathOf(uri), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    // Nothing to sign on a laptop: the file URI is the link.
    async presign(uri) {
      return pathToFileURL(pathOf(uri)).href;
    },
  };
}
