import { describe, expect, it } from 'vitest';
import { buildRunbookLibrary, parseRunbookFile, splitFrontMatter } from './document.ts';

const OOM = `---
id: oom-killed-pods
title: Pods killed for exceeding their memory limit
services: [payment-api]          # optional; empty means any service
categories: [oom-killed]         # taxonomy ids
severity: high
tags: [memory]
owners:
  - payments-team
escalation: {primary: payments-oncall, secondary: platform-oncall}
---
## Symptoms
- exit code 137
## Steps
1. kubectl rollout undo deployment/payment-api -n payments
`;

describe('splitFrontMatter', () => {
  it('splits YAML front matter from the body, with a BOM and CRLF line ends', () => {
    expect(splitFrontMatter('---\nid: a\n---\nbody\n')).toEqual({ yaml: 'id: a', body: 'body\n' });
    expect(splitFrontMatter('\uFEFF---\r\nid: a\r\n---\r\n# T\r\n')).toEqual({ yaml: 'id: a', body: '# T\r\n' });
    expect(splitFrontMatter('---\n---\nbody')).toEqual({ yaml: '', body: 'body' });
    expect(splitFrontMatter('---\nid: a\n...\nbody')).toEqual({ yaml: 'id: a', body: 'body' });
    expect(splitFrontMatter('# No front matter\n')).toBeNull();
    expect(splitFrontMatter('---\nid: a\nnever closed\n')).toBeNull();
  });
});

describe('parseRunbookFile', () => {
  it('reads the contract fields and keeps every other field in frontMatter', () => {
    const { runbook, problems } = parseRunbookFile({ source: 'runbooks/oom.md', text: OOM });
    expect(problems).toEqual([]);
    expect(runbook).toMatchObject({
      id: 'oom-killed-pods',
      title: 'Pods killed for exceeding their memory limit',
      services: ['payment-api'],
      categories: ['oom-killed'],
      severity: 'high',
      source: 'runbooks/oom.md',
    });
    expect(runbook!.body.startsWith('## Symptoms')).toBe(true);
    expect(runbook!.frontMatter.owners).toEqual(['payments-team']);
    expect(runbook!.frontMatter.escalation).toEqual({ primary: 'payments-oncall', secondary: 'platform-oncall' });
  });

  it('is liberal: a lone string for a list, no services, a title from the first heading, an id from the file name', () => {
    const { runbook, problems } = parseRunbookFile({
      source: '/lib/dns/coredns-down.md',
      text: '---\ncategories: dns-failure\nseverity: 2\n---\n# CoreDNS is down\n## Steps\n1. restart it\n',
    });
    expect(runbook).toMatchObject({ id: 'coredns-down', title: 'CoreDNS is down', services: [], categories: ['dns-failure'], severity: '2' });
    expect(problems.map((p) => p.message)).toEqual([
      "front matter has no id; using the file name 'coredns-down'",
      "front matter has no title; using 'CoreDNS is down'",
    ]);
    expect(problems.every((p) => !p.skipped && p.source === '/lib/dns/coredns-down.md')).toBe(true);
  });

  it('drops categories outside the taxonomy and says so, keeping the runbook', () => {
    const { runbook, problems } = parseRunbookFile({ source: 'a.md', text: '---\nid: a\ntitle: A\ncategories: [OOM-Killed, database-broken]\n---\nbody\n' });
    expect(runbook!.categories).toEqual(['oom-killed']);
    expect(problems).toEqual([{ source: 'a.md', message: "front matter category 'database-broken' is not a taxonomy id; ignored", skipped: false }]);
  });

  it('ignores malformed services and severity with a problem', () => {
    const { runbook, problems } = parseRunbookFile({ source: 'a.md', text: '---\nid: a\ntitle: A\ncategories: []\nservices: {name: x}\nseverity: [high]\n---\nbody\n' });
    expect(runbook).toMatchObject({ services: [], categories: [] });
    expect(runbook!.severity).toBeUndefined();
    expect(problems.map((p) => p.message)).toEqual([
      'front matter services must be a list of service names; ignored (the runbook applies to any service)',
      'front matter severity must be a string; ignored',
    ]);
  });

  it.each([
    ['# Just markdown\n', 'no YAML front matter'],
    ['---\nid: [unclosed\n---\nbody\n', 'front matter is not valid YAML'],
    ['---\n- a\n- b\n---\nbody\n', 'front matter must be a YAML mapping'],
    ['---\nid: a\ntitle: A\n---\n\n  \n', 'has front matter but no body'],
  ])('skips a file it cannot read as a runbook, saying why (%#)', (text, why) => {
    const { runbook, problems } = parseRunbookFile({ source: 'bad.md', text });
    expect(runbook).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'bad.md', skipped: true });
    expect(problems[0]!.message).toContain(why);
  });
});

describe('buildRunbookLibrary', () => {
  it('keeps good files, skips bad ones and duplicate ids, in source order', () => {
    const { runbooks, problems } = buildRunbookLibrary([
      { source: 'c.md', text: '---\nid: one\ntitle: Duplicate\ncategories: []\n---\nbody\n' },
      { source: 'b.md', text: 'no front matter' },
      { source: 'a.md', text: '---\nid: one\ntitle: First\ncategories: [crash-loop]\n---\nbody\n' },
      { source: 'd.md', text: '---\nid: two\ntitle: Two\ncategories: [disk-full]\n---\nbody\n' },
    ]);
    expect(runbooks.map((r) => `${r.id}:${r.title}`)).toEqual(['one:First', 'two:Two']);
    expect(problems).toEqual([
      { source: 'b.md', message: expect.stringContaining('no YAML front matter'), skipped: true },
      { source: 'c.md', message: "id 'one' is also the id of a.md; this file is left out", skipped: true },
    ]);
  });
});
