import { describe, expect, it } from 'vitest';
import { codeBlocks, headings, inlineCode, listItems, paragraphs, plainText } from './markdown.ts';

describe('headings', () => {
  it('finds ATX headings of any level but none inside fenced code', () => {
    const text = ['# Title', 'text', '```bash', '# a shell comment', '```', '### Steps ###', '~~~', '## not a heading', '~~~', '####No space is not a heading'].join('\n');
    expect(headings(text)).toEqual([
      { line: 0, level: 1, text: 'Title' },
      { line: 5, level: 3, text: 'Steps' },
    ]);
  });
});

describe('listItems', () => {
  it('reads numbered items with their nested code and sub-items, dedented, marker removed', () => {
    const text = [
      '1. Roll back: `kubectl rollout undo deployment/api -n shop`',
      '2. If the ConfigMap is missing, create it:',
      '   ```bash',
      '   kubectl create configmap api-config \\',
      '     --from-file=app.conf -n shop',
      '   ```',
      '3. Escalate:',
      '   - page the owner',
      '   - open a ticket',
      'lazy continuation of item 3',
      '',
      'A closing paragraph that is not part of the list.',
    ].join('\n');
    const items = listItems(text);
    expect(items.map((i) => i.text)).toEqual([
      'Roll back: `kubectl rollout undo deployment/api -n shop`',
      'If the ConfigMap is missing, create it:\n```bash\nkubectl create configmap api-config \\\n  --from-file=app.conf -n shop\n```',
      'Escalate:\n- page the owner\n- open a ticket\nlazy continuation of item 3',
    ]);
    expect(items.every((i) => i.ordered)).toBe(true);
    expect(items[2]!.children.map((c) => c.text)).toEqual(['page the owner', 'open a ticket\nlazy continuation of item 3']);
  });

  it('keeps items separated by blank lines in one list; a heading or an unindented paragraph ends an item', () => {
    const items = listItems('- one\n\n- two\n  still two\n### Next\n- three\n\nparagraph');
    expect(items.map((i) => [i.ordered, i.text])).toEqual([
      [false, 'one'],
      [false, 'two\nstill two'],
      [false, 'three'],
    ]);
  });

  it('accepts 1) markers and * bullets, and ignores list-looking lines inside code', () => {
    expect(listItems('1) a\n2) b').map((i) => i.text)).toEqual(['a', 'b']);
    expect(listItems('```\n- not an item\n```\n* real').map((i) => i.text)).toEqual(['real']);
  });
});

describe('code', () => {
  it('reads fenced blocks with their language, and inline code outside them', () => {
    const text = 'Run `kubectl get pods` then:\n\n   ```Bash\n   df -h\n   ```\n\n~~~logs-insights\nfields @timestamp\n| limit 5\n~~~\n``a `tick` inside``';
    expect(codeBlocks(text)).toEqual([
      { lang: 'bash', code: 'df -h' },
      { lang: 'logs-insights', code: 'fields @timestamp\n| limit 5' },
    ]);
    expect(inlineCode(text)).toEqual(['kubectl get pods', 'a `tick` inside']);
  });
});

describe('paragraphs and plainText', () => {
  it('reads paragraphs that are not lists, headings or code, and strips markdown for matching', () => {
    expect(paragraphs('First line\ncontinued.\n\n- item\n\n## H\nSecond.\n```\ncode\n```')).toEqual(['First line\ncontinued.', 'Second.']);
    expect(plainText('## **Bold** [link](http://x) `code`\n1. item')).toBe('Bold link code\nitem');
  });
});
