/**
 * Parity with the reference system: every operation of the AWS Bedrock AgentCore SRE sample has a counterpart with
 * the same operationId, whose input accepts every parameter the sample's operation takes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadToolDefinitions } from '../../src/tools/openapi.ts';

const REFERENCE_OPERATIONS = [
  'get_pod_status', 'get_deployment_status', 'get_cluster_events', 'get_resource_usage', 'get_node_status',
  'search_logs', 'get_error_logs', 'analyze_log_patterns', 'get_recent_logs', 'count_log_events',
  'get_performance_metrics', 'get_error_rates', 'get_resource_metrics', 'get_availability_metrics', 'analyze_trends',
  'search_runbooks', 'get_incident_playbook', 'get_troubleshooting_guide', 'get_escalation_procedures', 'get_common_resolutions',
];

const SAMPLE_SPECS = join(import.meta.dirname, '../../../shared/anchors/aws-sre-sample/openapi');

describe('parity with the AWS AgentCore SRE sample', () => {
  const ours = new Map(loadToolDefinitions().map((d) => [d.operationId, d]));

  it('has all 20 reference operations', () => {
    expect(REFERENCE_OPERATIONS.filter((id) => !ours.has(id))).toEqual([]);
  });

  it.skipIf(!existsSync(SAMPLE_SPECS))('accepts every parameter the sample’s operations take', () => {
    const missing: string[] = [];
    for (const file of ['k8s_api.yaml', 'logs_api.yaml', 'metrics_api.yaml', 'runbooks_api.yaml']) {
      const doc = parse(readFileSync(join(SAMPLE_SPECS, file), 'utf8')) as { paths: Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string }> }>> };
      for (const item of Object.values(doc.paths)) {
        for (const op of Object.values(item)) {
          const def = ours.get(op.operationId);
          for (const p of op.parameters ?? []) if (!def?.inputSchema.properties[p.name]) missing.push(`${op.operationId}.${p.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
