/**
 * Tool errors travel as data, not exceptions: AgentCore Gateway turns a failed Lambda invocation into an opaque
 * internal error, so a tool Lambda returns `{ "error": {...} }` and the MCP layer marks it `isError`.
 */
export const TOOL_ERROR_TYPES = [
  'InvalidArgument',
  'UnknownTool',
  'NotFound',
  'AccessDenied',
  'Throttled',
  'Timeout',
  'Unavailable',
  'Internal',
] as const;
export type ToolErrorType = (typeof TOOL_ERROR_TYPES)[number];

export interface ToolErrorBody {
  error: {
    type: ToolErrorType;
    message: string;
    /** The offending argument, for InvalidArgument. */
    field?: string;
    /** Whether calling again later may succeed (throttling, timeouts, unavailable backends). */
    retryable: boolean;
  };
}

/** An expected failure of a tool or its backend, with a message safe to show to a model or a user. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly type: ToolErrorType;
  readonly field: string | undefined;
  constructor(type: ToolErrorType, message: string, field?: string) {
    super(message);
    this.type = type;
    this.field = field;
  }
  get retryable(): boolean {
    return this.type === 'Throttled' || this.type === 'Timeout' || this.type === 'Unavailable';
  }
  toBody(): ToolErrorBody {
    return { error: { type: this.type, message: this.message, ...(this.field ? { field: this.field } : {}), retryable: this.retryable } };
  }
}

export function isToolErrorBody(value: unknown): value is ToolErrorBody {
  if (!value || typeof value !== 'object') return false;
  const error = (value as { error?: unknown }).error;
  return (
    !!error &&
    typeof error === 'object' &&
    (TOOL_ERROR_TYPES as readonly string[]).includes((error as { type?: string }).type ?? '') &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
