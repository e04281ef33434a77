/**
 * Argument and response validation against the JSON Schemas the converter derives from `openapi/`. Errors name
 * the offending argument, so a model or a user can correct the call.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../domain/errors.ts';
import type { JsonSchema, ToolDefinition } from './openapi.ts';

// ajv-formats ships CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

// Arguments: be liberal in scalar types ("10" for 10, as models and query strings send) and fill in defaults.
const inputAjv = addFormats(new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false }));
// Responses: exact, no coercion; this checks our own output against the contract.
const outputAjv = addFormats(new Ajv({ allErrors: true, strict: false }));

const inputValidators = new WeakMap<object, ValidateFunction>();
const outputValidators = new WeakMap<object, ValidateFunction>();

function compile(ajv: Ajv, cache: WeakMap<object, ValidateFunction>, schema: JsonSchema): ValidateFunction {
  let fn = cache.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    cache.set(schema, fn);
  }
  return fn;
}

/**
 * Validates tool arguments; returns a copy with defaults applied and scalars coerced. Throws InputError naming
 * the first offending argument (all problems are listed in the message).
 */
export function validateArguments(def: ToolDefinition, args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) args = {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new InputError(`Arguments of ${def.name} must be a JSON object`);
  }
  const copy = structuredClone(args) as Record<string, unknown>;
  const validate = compile(inputAjv, inputValidators, def.inputSchema);
  if (validate(copy)) return copy;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const first = errors[0]!;
  const messages = [...new Set(errors.map((e) => describeError(e, def)))];
  throw new InputError(`Invalid arguments for ${def.name}: ${messages.join('; ')}`, errorField(first));
}

/** Problems of a response against the operation's response schema; empty when it conforms. */
export function responseProblems(def: ToolDefinition, response: unknown): string[] {
  if (!def.outputSchema) return [];
  const validate = compile(outputAjv, outputValidators, def.outputSchema);
  if (validate(response)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`);
}

function errorField(e: ErrorObject): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return path ? `${path}.${String(params.missingProperty)}` : String(params.missingProperty);
  if (e.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    return path ? `${path}.${extra}` : extra;
  }
  return path;
}

function describeError(e: ErrorObject, def: ToolDefinition): string {
  const field = errorField(e);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required argument '${field}'`;
    case 'additionalProperties': {
      const allowed = e.instancePath ? '' : ` (allowed: ${Object.keys(def.inputSchema.properties).join(', ')})`;
      return `unknown argument '${field}'${allowed}`;
    }
    case 'enum':
      return `argument '${field}' must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'type':
      return `argument '${field}' must be ${String(params.type)}`;
    default:
      return `argument '${field}' ${e.message ?? 'is invalid'}`;
  }
}
