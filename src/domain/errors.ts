/**
 * Errors whose message is safe to show to a user or a model. Anything else that escapes a boundary is
 * reported as an internal error without its message or stack.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** The offending field, as a path such as `detail.state.value` or `limit`. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}
