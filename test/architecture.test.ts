/**
 * Rules of the code base that a reviewer would otherwise have to remember: ground truth is read only by the
 * evaluation, and the pure core imports no AWS client (adapters do).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('architecture', () => {
  it('reads expected.json only in the evaluation', () => {
    // Code (comments stripped) that names the file, except lists that exclude it (the stack drops it from the
    // sample scenario it bundles).
    const names = (f: string) =>
      readFileSync(join(ROOT, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        .replace(/(remove|exclude)\w*:\s*\[[^\]]*\]/g, '')
        .includes('expected.json');
    const readers = ['src', 'lambdas', 'lib', 'bin'].flatMap(sources).filter(names);
    expect(readers.sort()).toEqual(['src/eval/grade.ts', 'src/eval/scenario-contract.ts']);
  });

  it('keeps AWS clients out of the pure core (domain, analyzers, derivations, reasoning, specialists, report)', () => {
    const core = ['src/domain', 'src/analyzers', 'src/kubernetes', 'src/engine/reasoning', 'src/engine/specialists', 'src/engine/report', 'src/tools'].flatMap(sources);
    const offenders = core.filter((f) => /from '@aws-sdk\//.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('lets specialists reach tools only through the MCP client, never by importing a backend', () => {
    const specialists = ['src/engine/specialists', 'lambdas/specialists', 'src/engine/llm'].flatMap(sources);
    const offenders = specialists.filter((f) => /from '[^']*(tools\/(kubernetes|logs|metrics|runbooks)|providers)\//.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
