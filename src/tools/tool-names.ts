/**
 * Tool names, the tool definition type and the Bedrock form of a definition: what every consumer of tools needs,
 * without the YAML parser of the converter (src/tools/openapi.ts, which produces the definitions and re-exports
 * this module). Kept apart so the specialists' Lambda bundles stay small.
 */
export const BACKENDS = ['kubernetes', 'logs', 'metrics', 'runbooks'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Gateway tool names are `<target>___<operationId>`; the target is the backend. */
export const TOOL_NAME_SEPARATOR = '___';

export type JsonSchema = { [key: string]: unknown };

export interface ToolDefinition {
  /** `<backend>___<operationId>`, the name MCP clients and Bedrock see. */
  name: string;
  backend: Backend;
  operationId: string;
  method: string;
  path: string;
  /** What a model reads to choose the tool: the operation's summary and description. */
  description: string;
  /** JSON Schema of the arguments: the operation's parameters and JSON body merged into one object. */
  inputSchema: JsonSchema & { type: 'object'; properties: Record<string, JsonSchema>; required?: string[] };
  /** JSON Schema of the 200 response. */
  outputSchema: JsonSchema | undefined;
}

export function toolName(backend: Backend, operationId: string): string {
  return `${backend}${TOOL_NAME_SEPARATOR}${operationId}`;
}

/** Splits `<backend>___<operationId>`; null when the name is not of that form or the backend is unknown. */
export function parseToolName(name: string): { backend: Backend; operationId: string } | null {
  const at = name.indexOf(TOOL_NAME_SEPARATOR);
  if (at <= 0) return null;
  const backend = name.slice(0, at);
  const operationId = name.slice(at + TOOL_NAME_SEPARATOR.length);
  if (!(BACKENDS as readonly string[]).includes(backend) || !operationId) return null;
  return { backend: backend as Backend, operationId };
}

/** The Bedrock Converse `toolConfig.tools` for these definitions (names already match `[a-zA-Z0-9_-]{1,64}`). */
export function toBedrockTools(defs: readonly ToolDefinition[]): Array<{
  toolSpec: { name: string; description: string; inputSchema: { json: JsonSchema } };
}> {
  return defs.map((d) => ({ toolSpec: { name: d.name, description: d.description, inputSchema: { json: d.inputSchema } } }));
}

