/**
 * The one converter from `openapi/*.yaml` to tool definitions. Every consumer reads tools from here: the tool
 * Lambdas (argument validation), the local MCP server (`tools/list`), the AgentCore Gateway targets (inline tool
 * schemas at synth) and the Bedrock Converse `toolConfig`. A tool added to a spec appears everywhere.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { type Backend, BACKENDS, type JsonSchema, type ToolDefinition, toolName } from './tool-names.ts';

// The name helpers, types and the Bedrock mapping live in tool-names.ts (no YAML parser: the specialists' bundles
// need them without the converter); they are re-exported here so consumers have one place to import from.
export * from './tool-names.ts';

/**
 * Where the specs live: `SRE_AGENT_OPENAPI_DIR`, else the nearest `openapi/` folder above this module. That is
 * the repository's folder (YAML) in development and the JSON copy placed beside the bundle in a Lambda package.
 */
export function openApiDir(): string {
  const fromEnv = process.env.SRE_AGENT_OPENAPI_DIR;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'openapi');
    if (existsSync(join(candidate, 'kubernetes.yaml')) || existsSync(join(candidate, 'kubernetes.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the openapi/ folder; set SRE_AGENT_OPENAPI_DIR');
    dir = parent;
  }
}

/**
 * One spec as a plain object. Lambda packages carry the specs as JSON (see `writeOpenApiJson`): parsing the YAML
 * took about a third of a tool Lambda's cold start, JSON.parse takes a millisecond. Same document either way.
 */
export function loadOpenApiDocument(backend: Backend, dir = openApiDir()): JsonSchema {
  const json = join(dir, `${backend}.json`);
  if (existsSync(json)) return JSON.parse(readFileSync(json, 'utf8')) as JsonSchema;
  return parseYaml(readFileSync(join(dir, `${backend}.yaml`), 'utf8')) as JsonSchema;
}

/** Writes every spec of `from` as `<backend>.json` into `to` (for Lambda packages); returns `to`. */
export function writeOpenApiJson(to: string, from = openApiDir()): string {
  mkdirSync(to, { recursive: true });
  for (const backend of BACKENDS) writeFileSync(join(to, `${backend}.json`), JSON.stringify(loadOpenApiDocument(backend, from)));
  return to;
}

const cache = new Map<string, ToolDefinition[]>();

/** Tool definitions of the given backends (all by default), in spec order. Cached per folder. */
export function loadToolDefinitions(backends: readonly Backend[] = BACKENDS, dir = openApiDir()): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  for (const backend of backends) {
    const key = `${dir}\u0000${backend}`;
    let defs = cache.get(key);
    if (!defs) {
      defs = toolDefinitionsFromDocument(backend, loadOpenApiDocument(backend, dir));
      cache.set(key, defs);
    }
    out.push(...defs);
  }
  return out;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Converts one OpenAPI 3.0/3.1 document into tool definitions. Pure; throws on specs the gateway cannot serve. */
export function toolDefinitionsFromDocument(backend: Backend, doc: JsonSchema): ToolDefinition[] {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, JsonSchema>>;
  const defs: ToolDefinition[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const shared = ((item.parameters as unknown as JsonSchema[] | undefined) ?? []).map((p) => deref(doc, p));
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const operationId = op.operationId as string | undefined;
      if (!operationId) throw new Error(`${backend}: ${method.toUpperCase()} ${path} has no operationId`);
      const where = `${backend}.${operationId}`;
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      const params = [...shared, ...((op.parameters as JsonSchema[] | undefined) ?? []).map((p) => deref(doc, p))];
      for (const param of params) {
        const name = param.name as string;
        if (properties[name]) throw new Error(`${where}: parameter ${name} is declared twice`);
        const schema = toJsonSchema(doc, (param.schema as JsonSchema | undefined) ?? { type: 'string' });
        if (param.description && !schema.description) schema.description = param.description;
        properties[name] = schema;
        if (param.required) required.push(name);
      }
      const body = op.requestBody ? deref(doc, op.requestBody as JsonSchema) : undefined;
      if (body) {
        const content = (body.content ?? {}) as Record<string, { schema?: JsonSchema }>;
        const json = content['application/json'];
        if (!json?.schema || Object.keys(content).length !== 1) {
          throw new Error(`${where}: the request body must be application/json only`);
        }
        const schema = toJsonSchema(doc, json.schema);
        if (schema.type !== 'object') throw new Error(`${where}: the request body must be an object`);
        for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
          if (properties[name]) throw new Error(`${where}: ${name} is both a parameter and a body property`);
          properties[name] = prop;
        }
        required.push(...((schema.required as string[] | undefined) ?? []));
      }
      const ok = op.responses ? deref(doc, ((op.responses as JsonSchema)['200'] ?? {}) as JsonSchema) : {};
      const okSchema = ((ok.content as Record<string, { schema?: JsonSchema }> | undefined)?.['application/json'])?.schema;
      const summary = ((op.summary as string | undefined) ?? '').trim();
      const detail = ((op.description as string | undefined) ?? '').trim();
      defs.push({
        name: toolName(backend, operationId),
        backend,
        operationId,
        method: method.toUpperCase(),
        path,
        description: [summary, detail].filter(Boolean).join('\n\n'),
        inputSchema: {
          type: 'object',
          properties,
          ...(required.length ? { required } : {}),
          additionalProperties: false,
        },
        outputSchema: okSchema ? toJsonSchema(doc, okSchema) : undefined,
      });
    }
  }
  return defs;
}

function deref(doc: JsonSchema, node: JsonSchema, seen: ReadonlySet<string> = new Set()): JsonSchema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
  if (seen.has(ref)) throw new Error(`Recursive $ref ${ref}: tool schemas must be finite`);
  let target: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    target = (target as JsonSchema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (!target || typeof target !== 'object') throw new Error(`Unresolved $ref ${ref}`);
  return deref(doc, target as JsonSchema, new Set([...seen, ref]));
}

// Keywords kept from OpenAPI schemas: the JSON Schema subset every consumer (ajv, MCP clients, Bedrock) accepts.
const KEPT = new Set([
  'type', 'description', 'title', 'enum', 'default', 'format', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'required',
]);

/** OpenAPI schema object → plain JSON Schema: $refs inlined, `nullable` folded into `type`, docs-only keys dropped. */
export function toJsonSchema(doc: JsonSchema, node: JsonSchema, seen: ReadonlySet<string> = new Set()): JsonSchema {
  const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
  if (ref && seen.has(ref)) throw new Error(`Recursive $ref ${ref}: tool schemas must be finite`);
  const nextSeen = ref ? new Set([...seen, ref]) : seen;
  const schema = deref(doc, node, seen);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (KEPT.has(key)) out[key] = value;
  }
  if (schema.nullable === true && typeof schema.type === 'string') out.type = [schema.type, 'null'];
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [k, toJsonSchema(doc, v, nextSeen)]),
    );
  }
  if (schema.items) out.items = toJsonSchema(doc, schema.items as JsonSchema, nextSeen);
  if (schema.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof schema.additionalProperties === 'object'
        ? toJsonSchema(doc, schema.additionalProperties as JsonSchema, nextSeen)
        : schema.additionalProperties;
  }
  return out;
}

/** AgentCore Gateway's inline schema language: type, description, properties, required, items, nothing else. */
export interface GatewaySchema {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  properties?: Record<string, GatewaySchema>;
  required?: string[];
  items?: GatewaySchema;
}

export interface GatewayToolDefinition {
  name: string;
  description: string;
  inputSchema: GatewaySchema;
  outputSchema?: GatewaySchema;
}

/**
 * The inline tool schema of one gateway target (one backend): the gateway prefixes each name with the target
 * name, so the tool the client sees is `<backend>___<operationId>`, as everywhere else. Constraints the gateway
 * schema cannot carry (enum, default, bounds, formats) are folded into the description so the model still sees them.
 */
export function toGatewayToolSchema(defs: readonly ToolDefinition[]): GatewayToolDefinition[] {
  return defs.map((d) => ({
    name: d.operationId,
    description: d.description,
    inputSchema: toGatewaySchema(d.inputSchema),
    ...(d.outputSchema ? { outputSchema: toGatewaySchema(d.outputSchema) } : {}),
  }));
}

function toGatewaySchema(schema: JsonSchema): GatewaySchema {
  const rawType = Array.isArray(schema.type) ? (schema.type as string[]).find((t) => t !== 'null') : schema.type;
  const type = (rawType ?? (schema.properties ? 'object' : 'string')) as GatewaySchema['type'];
  const notes: string[] = [];
  if (Array.isArray(schema.enum)) notes.push(`One of: ${(schema.enum as unknown[]).map(String).join(', ')}.`);
  if (schema.default !== undefined) notes.push(`Default: ${JSON.stringify(schema.default)}.`);
  if (schema.minimum !== undefined) notes.push(`Minimum: ${String(schema.minimum)}.`);
  if (schema.maximum !== undefined) notes.push(`Maximum: ${String(schema.maximum)}.`);
  if (typeof schema.format === 'string') notes.push(`Format: ${schema.format}.`);
  const description = [schema.description as string | undefined, ...notes].filter(Boolean).join(' ');
  const out: GatewaySchema = { type, ...(description ? { description } : {}) };
  if (type === 'object' && schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [k, toGatewaySchema(v)]),
    );
    const required = schema.required as string[] | undefined;
    if (required?.length) out.required = [...required];
  }
  if (type === 'array') out.items = toGatewaySchema((schema.items as JsonSchema | undefined) ?? { type: 'string' });
  return out;
}
