/**
 * The logs specialist's second round on a recorded incident, over the real MCP gateway: what it reads beyond the
 * first round's patterns when a hypothesis leads (the suspect's start-up configuration warnings, and statements
 * that began with the incident however often they repeat).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrigger } from '../../src/domain/trigger.ts';
import { planInvestigation } from '../../src/engine/plan.ts';
import { logsSpecialist } from '../../src/engine/specialists/logs.ts';
import type { Plan } from '../../src/engine/types.ts';
import { type LocalGateway, startLocalGateway } from '../../src/local/gateway.ts';
import { createMcpToolClient } from '../../src/mcp/client.ts';

const SCENARIO = join(import.meta.dirname, '../../fixtures/validation-2/ap-invoice-gql-latency-morning');
const SUSPECT = 'Deployment/ap/invoice-gql';

let gateway: LocalGateway;
beforeAll(async () => {
  gateway = await startLocalGateway({ scenarioDir: SCENARIO });
});
afterAll(async () => {
  await gateway?.close();
});

describe('the logs specialist follows up a leading connection-pool hypothesis', () => {
  it('quotes the suspect\'s start-up configuration warning and its pool statistics with their numbers', async () => {
    const input = { investigationId: 'inv-follow-up', trigger: parseTrigger(gateway.scenario.trigger), now: new Date(gateway.scenario.now).toISOString() };
    const first = planInvestigation(input);
    const plan: Plan = {
      ...first,
      round: 2,
      specialists: { ...first.specialists, logs: { selected: true, reason: 'follow-up', targets: [SUSPECT], categories: ['connection-pool-exhaustion'], subjects: [SUSPECT] } },
    };
    const tools = createMcpToolClient({ url: gateway.mcpUrl, tokens: gateway.tokens, backends: ['logs'] });
    try {
      const report = await logsSpecialist({ input, plan, tools });
      const context = report.findings.filter((f) => f.signal === 'log-context');
      // Logged once per pod when the revision started, the evening before: outside the incident window.
      const startup = context.find((f) => /deprecated and ignored/.test(f.summary));
      expect(startup?.resource).toBe(SUSPECT);
      expect(Date.parse(startup!.since!)).toBeLessThan(Date.parse(plan.window.start));
      // Structured pool statistics: the sample keeps the fields beside the message.
      const pool = context.find((f) => f.facts?.categories?.includes('connection-pool-exhaustion') && /waitingCount=\d+/.test(f.summary));
      expect(pool?.summary).toMatch(/idleCount=0/);
    } finally {
      await tools.close();
    }
  });
});
