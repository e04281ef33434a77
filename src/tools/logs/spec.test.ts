/**
 * openapi/logs.yaml against OpenAPI 3.0.3 (swagger-parser), AgentCore Gateway's rules, and parity with the
 * reference sample's logs API (same operationIds, GET, the sample's parameter names).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonSchema, loadOpenApiDocument, openApiDir, toGatewayToolSchema, toolDefinitionsFromDocument } from '../openapi.ts';

const doc = loadOpenApiDocument('logs', openApiDir());
const defs = toolDefinitionsFromDocument('logs', doc);
const operations = Object.entries(doc.paths as Record<string, Record<string, JsonSchema>>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op })),
);

const sharedParameters = ((doc.components as JsonSchema).parameters ?? {}) as Record<string, JsonSchema>;

/** Every schema node of the document, with its path. */
function* nodes(value: unknown, path = ''): Generator<[string, Record<string, unknown>]> {
  if (!value || typeof value !== 'object') return;
  if (!Array.isArray(value)) yield [path, value as Record<string, unknown>];
  for (const [k, v] of Object.entries(value)) yield* nodes(v, `${path}/${k}`);
}

// The reference sample's operations and parameters (aws-sre-sample openapi/logs_api.yaml).
const PARITY: Record<string, string[]> = {
  search_logs: ['pattern', 'start_time', 'end_time', 'log_level'],
  get_error_logs: ['since', 'service'],
  analyze_log_patterns: ['time_window', 'min_occurrences'],
  get_recent_logs: ['limit', 'service'],
  count_log_events: ['event_type', 'time_window', 'group_by'],
};

describe('openapi/logs.yaml', () => {
  it('is a valid OpenAPI 3.0.3 document', async () => {
    const api = await SwaggerParser.validate(join(openApiDir(), 'logs.yaml'));
    expect((api as { openapi?: string }).openapi).toBe('3.0.3');
  });

  it('follows AgentCore Gateway rules', () => {
    for (const { method, op } of operations) {
      expect(op.operationId).toMatch(/^[a-z0-9_]{1,48}$/);
      expect((op.responses as Record<string, unknown>).default, `${String(op.operationId)} default response`).toBeDefined();
      for (const p of (op.parameters as JsonSchema[] | undefined) ?? []) {
        const param = p.$ref ? sharedParameters[String(p.$ref).split('/').pop()!]! : p;
        expect(param.style, `${String(op.operationId)}.${String(param.name)}`).toBeUndefined();
        expect(param.explode).toBeUndefined();
        expect((param.schema as JsonSchema | undefined)?.type, `${String(param.name)} is not an array`).not.toBe('array');
      }
      if (op.requestBody) {
        expect(method).toBe('post');
        expect(Object.keys(((op.requestBody as JsonSchema).content as JsonSchema) ?? {})).toEqual(['application/json']);
      }
    }
    for (const [path, node] of nodes(doc)) {
      for (const banned of ['oneOf', 'anyOf', 'allOf', 'nullable']) expect(node[banned], `${banned} at ${path}`).toBeUndefined();
    }
  });

  it('keeps the sample operations as GET with the sample parameter names', () => {
    for (const [operationId, params] of Object.entries(PARITY)) {
      const def = defs.find((d) => d.operationId === operationId);
      expect(def?.method, operationId).toBe('GET');
      for (const p of params) expect(Object.keys(def!.inputSchema.properties), `${operationId}.${p}`).toContain(p);
    }
    expect(defs.find((d) => d.operationId === 'search_logs')!.inputSchema.required).toEqual(['pattern']);
    expect(defs.find((d) => d.operationId === 'count_log_events')!.inputSchema.required).toEqual(['event_type']);
  });

  it('describes time inputs as instants or relative times, without a format', () => {
    for (const def of defs) {
      for (const [name, schema] of Object.entries(def.inputSchema.properties)) {
        if (!/_time$|^since$/.test(name)) continue;
        expect(schema.type, `${def.name}.${name}`).toBe('string');
        expect(schema.format).toBeUndefined();
        expect(String(schema.description)).toMatch(/ISO 8601 instant \(e\.g\. 2026-03-14T10:00:00Z\) or a relative time before\s+now \(e\.g\. 30m, 6h, 7d\)/);
      }
    }
  });

  it('bounds every list: a limit argument, total_count and truncated in the response', () => {
    for (const def of defs) {
      expect(def.inputSchema.properties.limit, `${def.name} limit`).toMatchObject({ type: 'integer', minimum: 1 });
      expect(def.inputSchema.properties.limit!.maximum).toBeGreaterThan(0);
      const out = def.outputSchema as { required: string[] };
      expect(out.required, def.name).toEqual(expect.arrayContaining(['total_count', 'truncated']));
    }
  });

  it('converts to gateway tool schemas with descriptions on every input', () => {
    const gateway = toGatewayToolSchema(defs);
    expect(gateway.map((t) => t.name).sort()).toEqual(defs.map((d) => d.operationId).sort());
    for (const tool of gateway) {
      expect(tool.description.length).toBeGreaterThan(100);
      for (const [name, prop] of Object.entries(tool.inputSchema.properties ?? {})) expect(prop.description, `${tool.name}.${name}`).toBeTruthy();
    }
  });
});
