/** Filesystem locations shared by local commands. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: the nearest folder above this module holding package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Local state (issuer key, local databases, reports): SRE_AGENT_HOME, else `.sre-agent/` in the project root. */
export function stateDir(): string {
  return resolve(process.env.SRE_AGENT_HOME ?? join(projectRoot(), '.sre-agent'));
}
