/** The specialist Lambda factory: validate the step's event, run the specialist over its MCP client. */
import type { Context } from 'aws-lambda';
import { parseOrThrow } from '../domain/trigger.ts';
import type { SpecialistName } from '../domain/result.ts';
import type { SpecialistReport } from '../domain/findings.ts';
import type { ToolCaller } from '../mcp/client.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler, metrics } from '../platform/lambda.ts';
import { specialistEventSchema } from './schemas.ts';
import { runSpecialist } from './steps.ts';
import type { InvestigationInput, Plan } from './types.ts';

export interface SpecialistDeps {
  tools: () => ToolCaller | Promise<ToolCaller>;
}

export function createSpecialistHandler(name: SpecialistName, deps: SpecialistDeps) {
  let tools: Promise<ToolCaller> | undefined;
  return lambdaHandler(async (event: unknown, _context: Context): Promise<SpecialistReport> => {
    const { input, plan } = parseOrThrow(specialistEventSchema, event);
    tools ??= Promise.resolve().then(deps.tools);
    const report = await runSpecialist(name, input as InvestigationInput, plan as Plan, await tools);
    const metric = metrics.singleMetric();
    metric.addDimension('specialist', name);
    metric.addMetric('SpecialistToolCalls', MetricUnit.Count, report.toolCalls);
    return report;
  }, { flushMetrics: false });
}
