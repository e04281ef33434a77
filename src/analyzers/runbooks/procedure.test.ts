import { describe, expect, it } from 'vitest';
import { escalationChain, frontMatterContacts, sectionCommands, sectionEntries, sectionSteps, stepAction, stepCommand } from './procedure.ts';

describe('sectionSteps', () => {
  it('quotes numbered steps verbatim, across subsections, without their numbers', () => {
    const content = [
      'Start with the safest action.',
      '',
      '1. Roll back: `kubectl rollout undo deployment/<name> -n <ns>`',
      '2. Watch it:',
      '   ```bash',
      '   kubectl rollout status deployment/<name> -n <ns>',
      '   ```',
      '### If the rollback fails',
      '1. Page the **service owner**.',
    ].join('\n');
    expect(sectionSteps({ content })).toEqual([
      'Roll back: `kubectl rollout undo deployment/<name> -n <ns>`',
      'Watch it:\n```bash\nkubectl rollout status deployment/<name> -n <ns>\n```',
      'Page the **service owner**.',
    ]);
  });

  it('makes one step per subsection when there is no numbered list (sample "Quick Fixes" style)', () => {
    const content = [
      '#### Restart Affected Pods',
      '- **Action:** Restart affected pods',
      '- **Command:** `kubectl delete pod <pod-name>`',
      '',
      '#### Increase Memory Limits',
      '- **Command:** `kubectl set resources deployment <name> --limits=memory=2Gi`',
      '##### Note',
      'temporary',
    ].join('\n');
    expect(sectionSteps({ content })).toEqual([
      'Restart Affected Pods\n- **Action:** Restart affected pods\n- **Command:** `kubectl delete pod <pod-name>`',
      'Increase Memory Limits\n- **Command:** `kubectl set resources deployment <name> --limits=memory=2Gi`\n##### Note\ntemporary',
    ]);
  });

  it('falls back to bullets, then to paragraphs', () => {
    expect(sectionSteps({ content: '- scale up\n- restart' })).toEqual(['scale up', 'restart']);
    expect(sectionSteps({ content: 'Scale up.\n\nThen restart.' })).toEqual(['Scale up.', 'Then restart.']);
  });
});

describe('sectionEntries', () => {
  it('reads items anywhere in the section, else paragraphs', () => {
    expect(sectionEntries({ content: '- a\n### More\n- b' })).toEqual(['a', 'b']);
    expect(sectionEntries({ content: 'Only prose.' })).toEqual(['Only prose.']);
  });
});

describe('sectionCommands', () => {
  it('reads shell blocks line by line with continuations, other blocks whole, and CLI code spans', () => {
    const content = [
      '1. Check: `kubectl get pods -n shop` and `ConfigMap` names.',
      '```bash',
      '# list them',
      'kubectl describe pod api -n shop',
      'aws cloudwatch get-metric-statistics --namespace ContainerInsights \\',
      '  --metric-name pod_memory_utilization_over_pod_limit',
      '',
      '```',
      '```logs-insights',
      'fields @timestamp, log',
      '| limit 20',
      '```',
      '```sql',
      'SELECT 1;',
      '```',
    ].join('\n');
    expect(sectionCommands(content)).toEqual([
      'kubectl describe pod api -n shop',
      'aws cloudwatch get-metric-statistics --namespace ContainerInsights \\\n  --metric-name pod_memory_utilization_over_pod_limit',
      'fields @timestamp, log\n| limit 20',
      'SELECT 1;',
      'kubectl get pods -n shop',
    ]);
  });
});

describe('stepAction and stepCommand', () => {
  it('summarise a step as one line of text and its first command', () => {
    const step = '**Roll back** the deployment: `kubectl rollout undo deployment/api -n shop`\n```bash\nkubectl rollout status deployment/api -n shop\n```';
    expect(stepAction(step)).toBe('Roll back the deployment: kubectl rollout undo deployment/api -n shop');
    expect(stepCommand(step)).toBe('kubectl rollout status deployment/api -n shop');
    expect(stepCommand('Wait for the failover.')).toBeUndefined();
  });
});

describe('escalationChain', () => {
  it('reads one level per "Level N: Role" subsection with response time and actions', () => {
    const content = [
      '#### Level 1: On-Call Engineer',
      '- **Response Time:** 5 minutes',
      '- **Actions:**',
      '  - Initial assessment',
      '  - Notify team',
      '',
      '#### Level 2: Team Lead',
      '- **Response Time:** 10 minutes',
      '- **Contact:** #incidents',
    ].join('\n');
    expect(escalationChain({ content })).toEqual([
      {
        level: 1,
        text: 'Level 1: On-Call Engineer\n- **Response Time:** 5 minutes\n- **Actions:**\n  - Initial assessment\n  - Notify team',
        role: 'On-Call Engineer',
        response_time: '5 minutes',
        actions: ['Initial assessment', 'Notify team'],
      },
      { level: 2, text: 'Level 2: Team Lead\n- **Response Time:** 10 minutes\n- **Contact:** #incidents', role: 'Team Lead', contact: '#incidents', response_time: '10 minutes', actions: [] },
    ]);
  });

  it('reads one level per item: a labelled contact, or a role with its condition and timing', () => {
    const chain = escalationChain({
      content: [
        '- **Primary:** database-oncall@company.com',
        '- **Secondary:** platform-oncall@company.com',
        '- **Escalation Time:** 5 minutes',
      ].join('\n'),
    });
    expect(chain).toEqual([
      { level: 1, text: '**Primary:** database-oncall@company.com', role: 'Primary', contact: 'database-oncall@company.com', response_time: '5 minutes', actions: [] },
      { level: 2, text: '**Secondary:** platform-oncall@company.com', role: 'Secondary', contact: 'platform-oncall@company.com', response_time: '5 minutes', actions: [] },
    ]);
    const ours = escalationChain({
      content: '1. **Service on-call** — owns the fix; page immediately.\n2. **Platform on-call** — page within 30 minutes if nodes are under pressure.\n   - bring the node group dashboard',
    });
    expect(ours).toEqual([
      { level: 1, text: '**Service on-call** — owns the fix; page immediately.', role: 'Service on-call', actions: [] },
      {
        level: 2,
        text: '**Platform on-call** — page within 30 minutes if nodes are under pressure.\n- bring the node group dashboard',
        role: 'Platform on-call',
        response_time: '30 minutes',
        actions: ['bring the node group dashboard'],
      },
    ]);
  });

  it('keeps unlabelled entries as written', () => {
    expect(escalationChain({ content: '- Call the DBA.' })).toEqual([{ level: 1, text: 'Call the DBA.', actions: [] }]);
  });
});

describe('frontMatterContacts', () => {
  it('reads escalation and owners as strings, lists and role maps', () => {
    expect(
      frontMatterContacts({
        escalation: { primary: 'payments-oncall', secondary: 'platform-oncall' },
        owners: ['payments-team', 'sre'],
        contacts: [{ role: 'dba', contact: 'dba@example.com' }],
      }),
    ).toEqual([
      { role: 'primary', contact: 'payments-oncall' },
      { role: 'secondary', contact: 'platform-oncall' },
      { role: 'owner 1', contact: 'payments-team' },
      { role: 'owner 2', contact: 'sre' },
      { role: 'dba', contact: 'dba@example.com' },
    ]);
    expect(frontMatterContacts({ owner: 'team-a' })).toEqual([{ role: 'owner', contact: 'team-a' }]);
    expect(frontMatterContacts({})).toEqual([]);
  });
});
