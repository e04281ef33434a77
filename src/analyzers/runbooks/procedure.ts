/**
 * What a runbook prescribes, read from its sections: the steps (quoted verbatim), symptoms, causes, diagnostic
 * commands, the escalation chain and contacts. Each reader accepts the shapes runbook templates use: numbered
 * lists, bullet lists, one subsection per step ("#### Step 1: ..."), or plain paragraphs.
 */
import { codeBlocks, inlineCode, listItems, paragraphs, plainText, splitAtHeadings, type ListItem } from './markdown.ts';
import type { RunbookSection } from './sections.ts';

/**
 * The steps of one section, verbatim: its top-level numbered items when it has any; otherwise one step per
 * subsection (heading and text); otherwise its bullet items; otherwise its paragraphs.
 */
export function sectionSteps(section: Pick<RunbookSection, 'content'>): string[] {
  const { lead, parts } = splitAtHeadings(section.content);
  const all = [lead, ...parts.map((p) => p.content)];
  const ordered = all.flatMap((text) => listItems(text).filter((i) => i.ordered).map((i) => i.text));
  if (ordered.length) return ordered;
  if (parts.length) {
    // The subsections of this section are the shallowest headings inside it; deeper ones stay in their text.
    const top = Math.min(...parts.map((p) => p.heading.level));
    const steps: string[] = [];
    const leadItems = listItems(lead).map((i) => i.text);
    steps.push(...(leadItems.length ? leadItems : []));
    let currentStep: string[] | null = null;
    for (const p of parts) {
      if (p.heading.level === top) {
        if (currentStep) steps.push(currentStep.join('\n').trim());
        currentStep = [p.heading.text, ...(p.content ? [p.content] : [])];
      } else {
        currentStep?.push(`${'#'.repeat(p.heading.level)} ${p.heading.text}`, p.content);
      }
    }
    if (currentStep) steps.push(currentStep.join('\n').trim());
    return steps.filter(Boolean);
  }
  const bullets = listItems(section.content).map((i) => i.text);
  if (bullets.length) return bullets;
  return paragraphs(section.content);
}

/** Short entries of a list-like section (symptoms, causes): its items, or its paragraphs when it has none. */
export function sectionEntries(section: Pick<RunbookSection, 'content'>): string[] {
  const items = itemsAnywhere(section.content).map((i) => i.text);
  return items.length ? items : paragraphs(section.content);
}

function itemsAnywhere(content: string): ListItem[] {
  const { lead, parts } = splitAtHeadings(content);
  return [lead, ...parts.map((p) => p.content)].flatMap((t) => listItems(t));
}

// The command-line tools runbooks tell people to run; a code span naming one of these is a command.
const COMMAND_RE =
  /^(?:\$\s*)?(kubectl|aws|eksctl|helm|curl|wget|dig|nslookup|host|openssl|nc|ncat|telnet|df|du|ls|find|psql|mysql|mysqladmin|redis-cli|mongosh|jq|stern|ss|netstat|ping|traceroute|top|ps|free|vmstat|iostat|journalctl|systemctl|crictl|docker|nerdctl|ctr|istioctl|linkerd|argocd|flux|git|grpcurl|cat|tail|grep|fields|filter|stats|sort|parse)\b/;
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh', 'shell-session', 'text']);

/**
 * Commands a section gives, verbatim and in order: shell code blocks line by line (backslash continuations kept
 * together, comments dropped), other code blocks (Logs Insights, SQL, YAML patches) whole, and inline code spans
 * that start with a known CLI.
 */
export function sectionCommands(content: string): string[] {
  const out: string[] = [];
  for (const block of codeBlocks(content)) {
    if (!SHELL_LANGS.has(block.lang)) {
      if (block.code.trim()) out.push(block.code.trim());
      continue;
    }
    let pending = '';
    for (const raw of block.code.split('\n')) {
      const line = raw.replace(/\s+$/, '');
      if (!pending && (!line.trim() || /^\s*#/.test(line))) continue;
      pending = pending ? `${pending}\n${line}` : line.trim();
      if (!line.endsWith('\\')) {
        out.push(pending);
        pending = '';
      }
    }
    if (pending) out.push(pending);
  }
  for (const span of inlineCode(content)) if (COMMAND_RE.test(span) && /\s/.test(span)) out.push(span);
  return [...new Set(out)];
}

/** The first command a step gives (a code span or the first line of a code block), for quick-fix summaries. */
export function stepCommand(step: string): string | undefined {
  return sectionCommands(step)[0];
}

/** A step's action in one line of plain text: its first line without the code, bold or trailing colon. */
export function stepAction(step: string): string {
  const first = step.split('\n').find((l) => l.trim()) ?? '';
  const text = plainText(first).replace(/\s+/g, ' ').trim().replace(/[:\s]+$/, '');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export interface EscalationLevel {
  level: number;
  /** The entry as written. */
  text: string;
  role?: string;
  contact?: string;
  response_time?: string;
  actions: string[];
}

export interface EscalationContact {
  role: string;
  contact: string;
}

const RESPONSE_TIME_RE = /\b(?:response time|respond(?:s)? within|within|after|in|sla)\s*:?\s*(\d+(?:\.\d+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|m)\b)/i;

/**
 * The escalation chain of an escalation section: one level per subsection ("#### Level 2: Senior Engineer" with a
 * "Response Time" line and "Actions" items) or per top-level item ("1. **Service on-call**: page within 15
 * minutes...", "- **Primary:** on-call-engineer").
 */
export function escalationChain(section: Pick<RunbookSection, 'content'>): EscalationLevel[] {
  const { lead, parts } = splitAtHeadings(section.content);
  if (parts.length) {
    const top = Math.min(...parts.map((p) => p.heading.level));
    const levels = parts.filter((p) => p.heading.level === top);
    return levels.map((p, i) => {
      const heading = p.heading.text;
      const m = /^\s*(?:level|tier|l)\s*(\d+)\s*[:.\-–—]?\s*(.*)$/i.exec(plainText(heading));
      const items = listItems(p.content);
      const actions: string[] = [];
      let responseTime: string | undefined;
      let contact: string | undefined;
      for (const item of items) {
        const label = labelled(item.text);
        if (label && /response time|sla|within/i.test(label.label)) responseTime = plainText(label.rest).trim();
        else if (label && /^actions?$/i.test(label.label)) actions.push(...item.children.map((c) => c.text));
        else if (label && /contact|page|email|slack|channel|pager/i.test(label.label)) contact = plainText(label.rest).trim();
        else actions.push(item.text);
      }
      const role = (m ? m[2] : plainText(heading))!.trim();
      return {
        level: m ? Number(m[1]) : i + 1,
        text: [heading, p.content].filter(Boolean).join('\n'),
        ...(role ? { role } : {}),
        ...(contact ? { contact } : {}),
        ...((responseTime ?? responseTimeIn(p.content)) ? { response_time: responseTime ?? responseTimeIn(p.content)! } : {}),
        actions,
      };
    });
  }
  // "**Escalation Time:** 5 minutes" times the whole chain rather than being a level of it.
  const timing = (text: string) => {
    const label = labelled(text.split('\n')[0]!);
    return label && /\b(time|sla|within|after)\b/i.test(label.label) && /\d/.test(label.rest) ? plainText(label.rest).trim() : undefined;
  };
  const all = listItems(lead);
  const chainTime = all.map((i) => timing(i.text)).find(Boolean);
  const items = all.filter((i) => !timing(i.text));
  return items.map((item, i) => {
    const first = item.text.split('\n')[0]!;
    const label = labelled(first);
    const responseTime = responseTimeIn(first) ?? chainTime;
    const rest = label ? plainText(label.rest).trim() : '';
    // A short remainder after a label is a contact ("**Primary:** on-call-engineer"); a sentence is not.
    const contact = label?.colon && rest && rest.length <= 80 && !/[.;]\s/.test(rest) && rest.split(/\s+/).length <= 6 ? rest : undefined;
    return {
      level: i + 1,
      text: item.text,
      ...(label ? { role: label.label } : {}),
      ...(contact ? { contact } : {}),
      ...(responseTime ? { response_time: responseTime } : {}),
      actions: item.children.map((c) => c.text),
    };
  });
}

/** Contacts from front matter: `escalation`/`owners`/`contacts` as a string, a list, or a role → contact map. */
export function frontMatterContacts(frontMatter: Record<string, unknown>): EscalationContact[] {
  const out: EscalationContact[] = [];
  const add = (role: string, value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (String(value).trim()) out.push({ role, contact: String(value).trim() });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const o = v as Record<string, unknown>;
          const contact = o.contact ?? o.team ?? o.email ?? o.channel ?? o.name;
          const r = o.role ?? o.level ?? `${role} ${i + 1}`;
          if (contact !== undefined) add(String(r), contact);
        } else {
          add(value.length > 1 ? `${role} ${i + 1}` : role, v);
        }
      });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(k, v);
    }
  };
  add('escalation', frontMatter.escalation);
  add('owner', frontMatter.owners ?? frontMatter.owner);
  add('contact', frontMatter.contacts);
  return out;
}

function labelled(text: string): { label: string; rest: string; colon: boolean } | undefined {
  // **Label:** rest | **Label**: rest | **Label** — rest | **Label** rest
  const m = /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*(:?)\s*(?:[—–-]\s*)?([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  const inner = m[1]!.trim();
  const colon = inner.endsWith(':') || m[2] === ':';
  return { label: inner.replace(/:$/, '').trim(), rest: m[3]!, colon };
}

function responseTimeIn(text: string): string | undefined {
  return RESPONSE_TIME_RE.exec(plainText(text))?.[1]?.trim();
}

