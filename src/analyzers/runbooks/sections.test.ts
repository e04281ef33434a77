import { describe, expect, it } from 'vitest';
import { parseSections, sectionKind } from './sections.ts';

describe('sectionKind', () => {
  it.each([
    ['Symptoms', 'symptoms'],
    ['Triggers', 'symptoms'],
    ['Trigger Conditions', 'symptoms'],
    ['Diagnosis', 'diagnosis'],
    ['Troubleshooting Steps', 'diagnosis'],
    ['Investigation Steps', 'diagnosis'],
    ['Diagnostic Commands', 'diagnosis'],
    ['Pre-Recovery Checks', 'diagnosis'],
    ['Common Causes', 'causes'],
    ['Root Cause', 'causes'],
    ['Steps', 'steps'],
    ['Remediation', 'steps'],
    ['Response Steps', 'steps'],
    ['Quick Fixes', 'steps'],
    ['Recovery Steps', 'steps'],
    ['Resolution', 'steps'],
    ['1. Mitigation', 'steps'],
    ['Verification', 'verification'],
    ['Validate recovery', 'verification'],
    ['Rollback Procedure', 'rollback'],
    ['Rollback Steps', 'rollback'],
    ['Escalation', 'escalation'],
    ['Escalation Chain', 'escalation'],
    ['Who to page', 'escalation'],
    ['Permanent Solutions', 'prevention'],
    ['Post-Incident Actions', 'prevention'],
    ['Prevention Measures', 'prevention'],
    ['Related Runbooks', 'references'],
    ['Description', 'overview'],
    ['Impact Assessment', 'overview'],
    ['Service Priority Order', 'other'],
  ])('%s is %s', (heading, kind) => {
    expect(sectionKind(heading)).toBe(kind);
  });
});

describe('parseSections', () => {
  it('reads ## sections of a body without a title', () => {
    const body = '## Symptoms\n- 137\n\n## Steps\n1. undo\n### If that fails\n1. page\n## Escalation\n- owner\n';
    const { title, sections } = parseSections(body);
    expect(title).toBeUndefined();
    expect(sections.map((s) => [s.heading, s.level, s.kind])).toEqual([
      ['Symptoms', 2, 'symptoms'],
      ['Steps', 2, 'steps'],
      ['Escalation', 2, 'escalation'],
    ]);
    // Subsections stay inside their section, verbatim.
    expect(sections[1]!.content).toBe('1. undo\n### If that fails\n1. page');
  });

  it('takes a lone # heading as the title and the text before the first section as an overview', () => {
    const body = '# Memory Pressure\n\n**Playbook ID:** `memory`\n\n### Triggers\n- OOM\n\n### Response Steps\n1. check\n#### Detail\ntext\n';
    const { title, sections } = parseSections(body);
    expect(title).toBe('Memory Pressure');
    expect(sections.map((s) => [s.heading, s.level, s.kind, s.content])).toEqual([
      ['', 0, 'overview', '**Playbook ID:** `memory`'],
      ['Triggers', 3, 'symptoms', '- OOM'],
      ['Response Steps', 3, 'steps', '1. check\n#### Detail\ntext'],
    ]);
  });

  it('treats several # headings as sections and ignores headings inside code', () => {
    const { title, sections } = parseSections('# Symptoms\nx\n```\n# comment\n```\n# Steps\n1. y\n');
    expect(title).toBeUndefined();
    expect(sections.map((s) => s.kind)).toEqual(['symptoms', 'steps']);
    expect(sections[0]!.content).toBe('x\n```\n# comment\n```');
  });

  it('returns the whole body as an overview when there is no heading', () => {
    expect(parseSections('Just do it.\n').sections).toEqual([{ heading: '', level: 0, kind: 'overview', content: 'Just do it.' }]);
  });
});
