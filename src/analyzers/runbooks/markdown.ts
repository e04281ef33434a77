/**
 * The little markdown a runbook needs: headings (outside fenced code), top-level list items with their nested
 * lines, fenced code blocks and inline code. Text is never rewritten: an item is the author's markdown with only
 * its list marker removed, so a step can be quoted verbatim.
 */

export interface Heading {
  /** Line index in the text. */
  line: number;
  level: number;
  text: string;
}

export interface ListItem {
  ordered: boolean;
  /** The item's markdown without its marker; nested lines are dedented to the item's content column. */
  text: string;
  /** Nested list items, one level down (e.g. the actions under an escalation level). */
  children: ListItem[];
}

export interface CodeBlock {
  /** The info string after the opening fence (`bash`, `sh`, `logs-insights`...), lowercased; empty when none. */
  lang: string;
  code: string;
}

const HEADING_RE = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)/;
const ITEM_RE = /^( *)([-*+]|\d{1,9}[.)])([ \t]+)(.*)$/;

/** Whether each line sits inside (or is) a fenced code block. */
export function fencedLines(lines: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = FENCE_RE.exec(line);
    if (fence === null) {
      if (m) {
        fence = m[1]!;
        out.push(true);
      } else {
        out.push(false);
      }
    } else {
      out.push(true);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = null;
    }
  }
  return out;
}

export function headings(text: string): Heading[] {
  const lines = text.split(/\r?\n/);
  const fenced = fencedLines(lines);
  const out: Heading[] = [];
  lines.forEach((line, i) => {
    if (fenced[i]) return;
    const m = HEADING_RE.exec(line);
    if (m && m[2]!.trim()) out.push({ line: i, level: m[1]!.length, text: m[2]!.trim() });
  });
  return out;
}

/** Splits text at its headings of any level: the text before the first one and each heading with its own text. */
export function splitAtHeadings(text: string): { lead: string; parts: Array<{ heading: Heading; content: string }> } {
  const lines = text.split(/\r?\n/);
  const hs = headings(text);
  const lead = trimBlankLines(lines.slice(0, hs[0]?.line ?? lines.length).join('\n'));
  const parts = hs.map((h, i) => ({ heading: h, content: trimBlankLines(lines.slice(h.line + 1, hs[i + 1]?.line ?? lines.length).join('\n')) }));
  return { lead, parts };
}

/**
 * The top-level list items of a markdown fragment, in order. Headings, and paragraphs at or left of the list's
 * indentation after a blank line, end an item; indented lines, nested lists, fenced code and lazy continuation
 * lines belong to it.
 */
export function listItems(text: string): ListItem[] {
  const lines = text.split(/\r?\n/);
  const fenced = fencedLines(lines);
  const items: Array<{ ordered: boolean; indent: number; contentCol: number; lines: string[] }> = [];
  let current: (typeof items)[number] | null = null;
  let base: number | null = null;
  let blankBefore = false;
  lines.forEach((line, i) => {
    const blank = line.trim() === '';
    const indent = line.length - line.trimStart().length;
    if (current && fenced[i]) {
      // Code belongs to the item it follows, dedented like the item's other nested lines.
      current.lines.push(line.slice(Math.min(indent, current.contentCol)));
      blankBefore = false;
      return;
    }
    const item = fenced[i] ? null : ITEM_RE.exec(line);
    if (item && (base === null || item[1]!.length <= base)) {
      base ??= item[1]!.length;
      current = {
        ordered: /\d/.test(item[2]!),
        indent: item[1]!.length,
        contentCol: item[1]!.length + item[2]!.length + item[3]!.length,
        lines: [item[4]!],
      };
      items.push(current);
      blankBefore = false;
      return;
    }
    if (!current) return;
    if (blank) {
      current.lines.push('');
      blankBefore = true;
      return;
    }
    const isHeading = !fenced[i] && HEADING_RE.test(line);
    if (isHeading || (blankBefore && indent <= current.indent)) {
      current = null;
      return;
    }
    // Nested content is dedented to the item's content column (never more than its own indentation).
    current.lines.push(line.slice(Math.min(indent, current.contentCol)));
    blankBefore = false;
  });
  return items.map((it) => {
    const body = trimBlankLines(it.lines.join('\n'));
    const nested = body.split('\n').slice(1).join('\n');
    return { ordered: it.ordered, text: body, children: nested.trim() ? listItems(nested) : [] };
  });
}

/** Fenced code blocks, in order. */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split(/\r?\n/);
  const out: CodeBlock[] = [];
  let open: { fence: string; lang: string; indent: number; lines: string[] } | null = null;
  for (const line of lines) {
    const trimmed = line.trimStart();
    const m = FENCE_RE.exec(trimmed);
    if (!open) {
      if (m) open = { fence: m[1]!, lang: m[2]!.toLowerCase(), indent: line.length - trimmed.length, lines: [] };
      continue;
    }
    if (m && m[1]![0] === open.fence[0] && m[1]!.length >= open.fence.length && trimmed.trim() === m[1]) {
      out.push({ lang: open.lang, code: open.lines.join('\n') });
      open = null;
      continue;
    }
    // Code inside a list item is indented with the item; remove that indentation only.
    const indent = line.length - line.trimStart().length;
    open.lines.push(line.slice(Math.min(indent, open.indent)));
  }
  if (open) out.push({ lang: open.lang, code: open.lines.join('\n') });
  return out;
}

/** Inline code spans outside fenced blocks. */
export function inlineCode(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const fenced = fencedLines(lines);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (fenced[i]) return;
    for (const m of line.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)) out.push(m[2]!.trim());
  });
  return out;
}

/** Paragraphs (blank-line separated blocks) that are neither headings nor lists nor code. */
export function paragraphs(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const fenced = fencedLines(lines);
  const out: string[] = [];
  let buf: string[] = [];
  const flush = () => {
    if (buf.length) out.push(buf.join('\n').trim());
    buf = [];
  };
  lines.forEach((line, i) => {
    if (fenced[i] || !line.trim() || HEADING_RE.test(line) || ITEM_RE.test(line)) {
      flush();
      return;
    }
    if (/^ {4,}/.test(line) && !buf.length) return;
    buf.push(line);
  });
  flush();
  return out.filter(Boolean);
}

/** Plain text for matching and excerpts: markdown emphasis, link targets and heading marks removed. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
    .replace(/^ {0,3}(```|~~~).*$/gm, '')
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])[ \t]+/gm, '')
    .replace(/`/g, '');
}

export function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/(?:\r?\n[ \t]*)+$/, '').replace(/[ \t]+$/, '');
}
