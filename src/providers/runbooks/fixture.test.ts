import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { ToolError } from '../../tools/errors.ts';
import { createDirectoryRunbooksProvider, createFixtureRunbooksProvider, defaultRunbooksDir, scenarioRunbooksDir } from './fixture.ts';
import { runbooksProviderFromEnv } from './index.ts';

const DEFAULT_LIBRARY = join(projectRoot(), 'fixtures', 'runbooks');
const RUNBOOK = (id: string, extra = '') => `---\nid: ${id}\ntitle: ${id} title\ncategories: [disk-full]\n${extra}---\n## Steps\n1. free space\n`;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'runbooks-provider-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(rel: string, text: string) {
  await mkdir(resolve(root, rel, '..'), { recursive: true });
  await writeFile(join(root, rel), text);
}

describe('createDirectoryRunbooksProvider', () => {
  it('reads every markdown file under the folder, subfolders included, and serves them by id', async () => {
    await write('lib/disk.md', RUNBOOK('disk'));
    await write('lib/nested/more.markdown', RUNBOOK('more', 'services: [orders-db]\n'));
    await write('lib/notes.txt', 'not a runbook');
    await write('lib/.hidden/secret.md', RUNBOOK('hidden'));
    const provider = createDirectoryRunbooksProvider(join(root, 'lib'));
    expect((await provider.list()).map((r) => r.id)).toEqual(['disk', 'more']);
    expect(await provider.get('more')).toMatchObject({ id: 'more', services: ['orders-db'], categories: ['disk-full'] });
    expect(await provider.get('hidden')).toBeNull();
    expect(await provider.problems()).toEqual([]);
  });

  it('leaves malformed files out and reports them, never failing the library', async () => {
    await write('lib/good.md', RUNBOOK('good'));
    await write('lib/bad-yaml.md', '---\nid: [oops\n---\nbody\n');
    await write('lib/no-front-matter.md', '# Title only\n');
    await write('lib/dup.md', RUNBOOK('good'));
    const provider = createDirectoryRunbooksProvider(join(root, 'lib'));
    expect((await provider.list()).map((r) => r.id)).toEqual(['good']);
    const problems = await provider.problems();
    expect(problems.map((p) => [p.source.split('/').pop(), p.skipped])).toEqual([
      ['bad-yaml.md', true],
      ['good.md', true],
      ['no-front-matter.md', true],
    ]);
    expect(problems[1]!.message).toContain("id 'good' is also the id of");
  });

  it('fails calls with Unavailable when the folder does not exist, and recovers once it does', async () => {
    const dir = join(root, 'later');
    const provider = createDirectoryRunbooksProvider(dir);
    const error = await provider.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect(error).toMatchObject({ type: 'Unavailable', retryable: true });
    await write('later/a.md', RUNBOOK('a'));
    expect((await provider.list()).map((r) => r.id)).toEqual(['a']);
  });

  it('names sources relative to the project when inside it, so reports can cite them', async () => {
    const provider = createDirectoryRunbooksProvider(DEFAULT_LIBRARY);
    const sources = (await provider.list()).map((r) => r.source);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(s).toMatch(/^fixtures\/runbooks\/[a-z0-9-]+\.md$/);
  });
});

describe('createFixtureRunbooksProvider', () => {
  it("serves a scenario's own runbooks/ folder as its whole library", async () => {
    await write('scenario/runbooks/only.md', RUNBOOK('only-this-one'));
    const provider = createFixtureRunbooksProvider(join(root, 'scenario'), {});
    expect((await provider.list()).map((r) => r.id)).toEqual(['only-this-one']);
    expect(scenarioRunbooksDir(join(root, 'scenario'), {})).toBe(join(root, 'scenario', 'runbooks'));
  });

  it('serves an empty runbooks/ folder as an empty library, not the default one', async () => {
    await mkdir(join(root, 'scenario', 'runbooks'), { recursive: true });
    expect(await createFixtureRunbooksProvider(join(root, 'scenario'), {}).list()).toEqual([]);
  });

  it('falls back to the default library, which SRE_AGENT_RUNBOOKS_DIR overrides', async () => {
    await mkdir(join(root, 'scenario'), { recursive: true });
    expect(defaultRunbooksDir({})).toBe(DEFAULT_LIBRARY);
    const defaults = await createFixtureRunbooksProvider(join(root, 'scenario'), {}).list();
    expect(defaults.length).toBeGreaterThanOrEqual(16);
    await write('custom/x.md', RUNBOOK('custom-x'));
    const custom = createFixtureRunbooksProvider(join(root, 'scenario'), { SRE_AGENT_RUNBOOKS_DIR: join(root, 'custom') });
    expect((await custom.list()).map((r) => r.id)).toEqual(['custom-x']);
  });
});

describe('runbooksProviderFromEnv', () => {
  it('serves a scenario, or a plain folder, and otherwise says what to set', async () => {
    await write('scenario/runbooks/s.md', RUNBOOK('from-scenario'));
    await write('folder/f.md', RUNBOOK('from-folder'));
    expect((await runbooksProviderFromEnv({ SRE_AGENT_SCENARIO: join(root, 'scenario') }).list()).map((r) => r.id)).toEqual(['from-scenario']);
    expect((await runbooksProviderFromEnv({ SRE_AGENT_RUNBOOKS_DIR: join(root, 'folder') }).list()).map((r) => r.id)).toEqual(['from-folder']);
    expect(() => runbooksProviderFromEnv({})).toThrow(/SRE_AGENT_SCENARIO.*SRE_AGENT_RUNBOOKS_DIR/);
    expect(() => runbooksProviderFromEnv({ RUNBOOKS_PROVIDER: 'kb' })).toThrow(/RUNBOOKS_PROVIDER=kb is not available/);
  });
});
