/**
 * An investigation of a scenario in one process, without the state machine: the local MCP gateway on loopback and
 * one MCP client per specialist. The engine's tests use it; `sre-agent investigate` runs the state machine instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTrigger } from '../domain/trigger.ts';
import type { ReportStore } from '../engine/investigate.ts';
import { investigate, type InvestigationRun } from '../engine/investigate.ts';
import type { Narrator } from '../engine/llm/narrative.ts';
import { type SpecialistLlm, newInvestigationId } from '../engine/steps.ts';
import { createMcpToolClient } from '../mcp/client.ts';
import { startLocalGateway } from './gateway.ts';

/** Reports as files in a folder (file:// URIs). */
export function folderReportStore(dir: string): ReportStore {
  const path = (id: string) => join(dir, `${id}.md`);
  return {
    uriFor: (id) => `file://${path(id)}`,
    async put(id, markdown) {
      await mkdir(dir, { recursive: true });
      await writeFile(path(id), markdown);
      return `file://${path(id)}`;
    },
  };
}

export async function investigateScenarioInProcess(
  scenarioDir: string,
  options: { reportsDir: string; question?: string; llm?: SpecialistLlm; narrator?: Narrator | null },
): Promise<InvestigationRun> {
  const gateway = await startLocalGateway({ scenarioDir });
  const clients: Array<ReturnType<typeof createMcpToolClient>> = [];
  try {
    const trigger = parseTrigger(options.question ? { type: 'question', question: options.question } : gateway.scenario.trigger);
    const input = { investigationId: newInvestigationId(gateway.scenario.now), trigger, now: new Date(gateway.scenario.now).toISOString() };
    return await investigate(input, {
      tools: (name) => {
        const client = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: [name] });
        clients.push(client);
        return client;
      },
      reports: folderReportStore(options.reportsDir),
      ...(options.llm ? { llm: options.llm } : {}),
      ...(options.narrator ? { narrator: options.narrator } : {}),
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await gateway.close();
  }
}
