import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  loadOpenApiDocument,
  loadToolDefinitions,
  parseToolName,
  toBedrockTools,
  toGatewayToolSchema,
  toolDefinitionsFromDocument,
  writeOpenApiJson,
} from './openapi.ts';

const doc = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  components: {
    schemas: {
      Pod: { type: 'object', properties: { name: { type: 'string', example: 'x' }, node: { type: 'string', nullable: true } } },
    },
    parameters: { Namespace: { name: 'namespace', in: 'query', description: 'Namespace', schema: { type: 'string' } } },
  },
  paths: {
    '/pods': {
      get: {
        operationId: 'get_pod_status',
        summary: 'Pods',
        description: 'Status of pods.',
        parameters: [
          { $ref: '#/components/parameters/Namespace' },
          { name: 'limit', in: 'query', required: true, schema: { type: 'integer', minimum: 1, default: 50 } },
          { name: 'severity', in: 'query', schema: { type: 'string', enum: ['Warning', 'Normal'] } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { pods: { type: 'array', items: { $ref: '#/components/schemas/Pod' } } } } } },
          },
        },
      },
    },
    '/query': {
      post: {
        operationId: 'query_logs',
        requestBody: {
          content: { 'application/json': { schema: { type: 'object', required: ['query'], properties: { query: { type: 'string' }, groups: { type: 'array', items: { type: 'string' } } } } } },
        },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
  },
};

describe('toolDefinitionsFromDocument', () => {
  const defs = toolDefinitionsFromDocument('kubernetes', doc);

  it('names tools <backend>___<operationId> and merges parameters and body into one input schema', () => {
    expect(defs.map((d) => d.name)).toEqual(['kubernetes___get_pod_status', 'kubernetes___query_logs']);
    const [pods, query] = defs;
    expect(pods!.description).toBe('Pods\n\nStatus of pods.');
    expect(pods!.inputSchema).toEqual({
      type: 'object',
      properties: {
        namespace: { type: 'string', description: 'Namespace' },
        limit: { type: 'integer', minimum: 1, default: 50 },
        severity: { type: 'string', enum: ['Warning', 'Normal'] },
      },
      required: ['limit'],
      additionalProperties: false,
    });
    expect(query!.inputSchema.required).toEqual(['query']);
    expect(Object.keys(query!.inputSchema.properties)).toEqual(['query', 'groups']);
  });

  it('inlines $refs in the response schema and folds nullable into type', () => {
    const pod = ((defs[0]!.outputSchema!.properties as Record<string, { items: { properties: Record<string, unknown> } }>).pods).items;
    expect(pod.properties).toEqual({ name: { type: 'string' }, node: { type: ['string', 'null'] } });
  });

  it('rejects operations the gateway cannot serve', () => {
    expect(() => toolDefinitionsFromDocument('logs', { paths: { '/x': { get: { responses: {} } } } })).toThrow(/no operationId/);
    expect(() =>
      toolDefinitionsFromDocument('logs', {
        paths: { '/x': { post: { operationId: 'x', requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } } } } },
      }),
    ).toThrow(/application\/json only/);
  });

  it('feeds Bedrock and the AgentCore gateway from the same definitions', () => {
    const bedrock = toBedrockTools(defs);
    expect(bedrock[0]!.toolSpec.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(bedrock[0]!.toolSpec.inputSchema.json).toBe(defs[0]!.inputSchema);
    const gateway = toGatewayToolSchema(defs);
    expect(gateway[0]!.name).toBe('get_pod_status');
    expect(gateway[0]!.inputSchema.properties!.severity).toEqual({ type: 'string', description: 'One of: Warning, Normal.' });
    expect(gateway[0]!.inputSchema.properties!.limit).toEqual({ type: 'integer', description: 'Default: 50. Minimum: 1.' });
    expect(gateway[0]!.inputSchema.required).toEqual(['limit']);
  });

  it('parses tool names back', () => {
    expect(parseToolName('metrics___get_error_rates')).toEqual({ backend: 'metrics', operationId: 'get_error_rates' });
    expect(parseToolName('nope___x')).toBeNull();
    expect(parseToolName('get_error_rates')).toBeNull();
  });
});

describe('the JSON copy of the specs carried by Lambda packages', () => {
  it('holds the same documents and yields the same tools as the YAML', () => {
    const dir = writeOpenApiJson(join(mkdtempSync(join(tmpdir(), 'openapi-json-')), 'openapi'));
    expect(readdirSync(dir).sort()).toEqual(BACKENDS.map((b) => `${b}.json`).sort());
    expect(existsSync(join(dir, 'kubernetes.yaml'))).toBe(false);
    for (const backend of BACKENDS) expect(loadOpenApiDocument(backend, dir)).toEqual(loadOpenApiDocument(backend));
    expect(loadToolDefinitions(BACKENDS, dir)).toEqual(loadToolDefinitions());
  });
});
