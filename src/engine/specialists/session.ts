/**
 * A specialist's working session: calls tools through the MCP client, keeps what failed as gaps for the report,
 * collects findings and healthy checks, and produces the SpecialistReport with its timing.
 */
import type { Finding, HealthyCheck, InventoryEntry, SpecialistReport } from '../../domain/findings.ts';
import type { SpecialistName } from '../../domain/result.ts';
import type { ToolCaller } from '../../mcp/client.ts';

export class SpecialistSession {
  readonly findings: Finding[] = [];
  readonly healthy: HealthyCheck[] = [];
  readonly gaps: string[] = [];
  readonly inventory: InventoryEntry[] = [];
  private calls = 0;
  private failures = 0;
  private readonly started = performance.now();

  constructor(
    readonly name: SpecialistName,
    private readonly tools: ToolCaller,
  ) {}

  /** Calls a tool; on failure records a gap and returns undefined, so one failing tool never sinks the specialist. */
  async call<T>(tool: string, args: Record<string, unknown> = {}): Promise<T | undefined> {
    this.calls += 1;
    const res = await this.tools.callTool(tool, args);
    if (res.ok) return res.result as T;
    // Data that does not exist (no previous container, no such log group) is a gap in what we could see, not a
    // failure of the investigation; anything else is.
    if (res.error.type === 'NotFound') {
      this.gaps.push(`no data: ${res.error.message}`);
      return undefined;
    }
    this.failures += 1;
    this.gaps.push(`${tool} failed (${res.error.type}): ${res.error.message}`);
    return undefined;
  }

  add(finding: Finding): void {
    this.findings.push(finding);
  }

  ok(what: string, source: string, resource?: string): void {
    this.healthy.push({ what, source, ...(resource ? { resource } : {}) });
  }

  see(entry: InventoryEntry): void {
    this.inventory.push(entry);
  }

  report(): SpecialistReport {
    const status = this.calls > 0 && this.failures === this.calls ? 'failed' : this.failures > 0 ? 'partial' : 'ok';
    return {
      name: this.name,
      status,
      findings: this.findings,
      healthy: this.healthy,
      gaps: this.gaps,
      toolCalls: this.calls,
      durationMs: Math.round(performance.now() - this.started),
      ...(this.inventory.length ? { inventory: this.inventory } : {}),
    };
  }
}

/** Bounds a text for findings that travel through the state machine (256 KB payload limit). */
export function clip(text: string, max = 400): string {
  const flat = text.trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
