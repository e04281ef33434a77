import { describe, expect, it } from 'vitest';
import type { Finding, SpecialistReport } from '../../domain/findings.ts';
import { parseTrigger } from '../../domain/trigger.ts';
import { planInvestigation } from '../plan.ts';
import { buildContext } from './context.ts';

const NOW = '2026-03-14T10:32:00Z';
const plan = planInvestigation({ investigationId: 'inv-1', trigger: parseTrigger({ type: 'question', question: 'why is dispatch slow?' }), now: NOW });

function warning(workload: string, message: string): Finding {
  return {
    signal: 'log-signature',
    resource: workload,
    workload,
    severity: 'warning',
    summary: message,
    since: '2026-03-14T10:20:00Z',
    evidence: [{ source: 'logs___analyze_log_patterns', detail: message }],
    facts: { signatureKind: 'timeout', signature: 'timeout', message, count: 5 },
  };
}

function reports(findings: Finding[]): SpecialistReport[] {
  const inventory = ['Deployment/dispatch/eta-svc', 'Deployment/dispatch/matcher', 'Deployment/dispatch/pricing-engine'].map((resource) => ({ resource, health: 'healthy' as const }));
  return [
    { name: 'kubernetes', status: 'ok', findings: [], healthy: [], gaps: [], toolCalls: 1, durationMs: 1, inventory },
    { name: 'logs', status: 'ok', findings, healthy: [], gaps: [], toolCalls: 1, durationMs: 1 },
  ];
}

const edgesOf = (findings: Finding[]) => buildContext(plan, reports(findings)).edges.map((e) => `${e.victim} -> ${e.dependency}`);

describe('dependency edges from the words of error lines', () => {
  it('links a victim to a workload its errors name in full, or by a distinctive first word standing alone', () => {
    expect(edgesOf([warning('Deployment/dispatch/eta-svc', 'call to pricing-engine timed out after 2s')])).toEqual(['Deployment/dispatch/eta-svc -> Deployment/dispatch/pricing-engine']);
    expect(edgesOf([warning('Deployment/dispatch/eta-svc', 'matcher call timed out')])).toEqual(['Deployment/dispatch/eta-svc -> Deployment/dispatch/matcher']);
  });

  it('does not read a compound name that merely starts with a workload\'s first word as that workload', () => {
    expect(edgesOf([warning('Deployment/dispatch/eta-svc', 'rebalance in progress, retrying commit (group=matcher-assign partition=5)')])).toEqual([]);
    expect(edgesOf([warning('Deployment/dispatch/eta-svc', 'commit failed for consumer matcher_assign: timed out')])).toEqual([]);
  });
});
