/** The four specialists, each a pure core over the MCP tool client. */
import type { SpecialistReport } from '../../domain/findings.ts';
import type { SpecialistName } from '../../domain/result.ts';
import type { ToolCaller } from '../../mcp/client.ts';
import type { InvestigationInput, Plan } from '../types.ts';
import { kubernetesSpecialist } from './kubernetes.ts';
import { logsSpecialist } from './logs.ts';
import { metricsSpecialist } from './metrics.ts';
import { runbooksSpecialist } from './runbooks.ts';

export interface SpecialistContext {
  input: InvestigationInput;
  plan: Plan;
  /** The MCP client, limited to this specialist's backend. */
  tools: ToolCaller;
}

export type SpecialistCore = (ctx: SpecialistContext) => Promise<SpecialistReport>;

export const SPECIALIST_CORES: Record<SpecialistName, SpecialistCore> = {
  kubernetes: kubernetesSpecialist,
  logs: logsSpecialist,
  metrics: metricsSpecialist,
  runbooks: runbooksSpecialist,
};
