import SwaggerParser from '@apidevtools/swagger-parser';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpenApiDocument, loadToolDefinitions, openApiDir } from '../openapi.ts';
import { kubernetesBackend } from './index.ts';

type Node = Record<string, unknown>;
const doc = loadOpenApiDocument('kubernetes') as Node;
const paths = doc.paths as Record<string, Record<string, Node>>;
const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

function walk(node: unknown, visit: (key: string, value: unknown, parent: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Node)) {
    visit(key, value, node as Node);
    walk(value, visit);
  }
}

/** The sample's five operations and their parameters: ours keep the names and the GET method. */
const PARITY: Record<string, string[]> = {
  get_pod_status: ['namespace', 'pod_name'],
  get_deployment_status: ['namespace', 'deployment_name'],
  get_cluster_events: ['since', 'severity'],
  get_resource_usage: ['namespace', 'resource_type'],
  get_node_status: ['node_name'],
};

describe('openapi/kubernetes.yaml', () => {
  it('is a valid OpenAPI 3.0.3 document', async () => {
    await expect(SwaggerParser.validate(join(openApiDir(), 'kubernetes.yaml'))).resolves.toBeTruthy();
    expect(doc.openapi).toBe('3.0.3');
  });

  it('follows the AgentCore Gateway rules', () => {
    for (const { op, method } of operations) {
      const id = op.operationId as string;
      expect(id).toMatch(/^[a-z0-9_]{1,48}$/);
      expect((op.responses as Node).default, id).toBeTruthy();
      expect(String(op.summary ?? '')).not.toContain('\n');
      for (const p of (op.parameters ?? []) as Node[]) {
        expect(p.style, `${id}.${p.name}`).toBeUndefined();
        expect(p.explode, `${id}.${p.name}`).toBeUndefined();
        expect((p.schema as Node).type, `${id}.${p.name} must not be an array`).not.toBe('array');
      }
      if (op.requestBody) {
        expect(method).toBe('post');
        expect(Object.keys(((op.requestBody as Node).content as Node) ?? {})).toEqual(['application/json']);
      }
    }
    walk(doc, (key) => {
      expect(['oneOf', 'anyOf', 'allOf', 'nullable', 'not']).not.toContain(key);
    });
  });

  it('keeps the sample operations as GET with their parameter names, and describes time inputs without a format', () => {
    for (const [id, params] of Object.entries(PARITY)) {
      const found = operations.find((o) => o.op.operationId === id);
      expect(found?.method, id).toBe('get');
      const names = ((found!.op.parameters ?? []) as Node[]).map((p) => p.name);
      for (const name of params) expect(names, id).toContain(name);
    }
    for (const def of loadToolDefinitions(['kubernetes'])) {
      for (const field of ['since', 'until']) {
        const schema = def.inputSchema.properties[field];
        if (!schema) continue;
        expect(schema.type).toBe('string');
        expect(schema.format).toBeUndefined();
        expect(String(schema.description)).toMatch(/ISO 8601 instant \(e\.g\. 2026-03-14T10:00:00Z\) or a relative time before now \(e\.g\. 30m, 6h, 7d\)/);
      }
    }
  });

  it('bounds every list result and has an implementation for every operation', () => {
    for (const def of loadToolDefinitions(['kubernetes'])) {
      expect(def.inputSchema.properties.limit, def.name).toMatchObject({ type: 'integer', minimum: 1 });
      expect(def.inputSchema.properties.limit!.maximum, def.name).toBeGreaterThan(0);
      const out = def.outputSchema as Node;
      expect(out.required, def.name).toEqual(expect.arrayContaining(['total_count', 'truncated']));
    }
    expect(Object.keys(kubernetesBackend.operations).sort()).toEqual(operations.map((o) => o.op.operationId as string).sort());
  });
});
