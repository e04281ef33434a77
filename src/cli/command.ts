/** One `sre-agent <name>` sub-command. Commands live in src/cli/commands/ and are loaded lazily. */
export interface Command {
  /** Words that select the command, e.g. ['bench', 'logs']. */
  readonly path: readonly string[];
  /** One line for `sre-agent help`. */
  readonly summary: string;
  /** Usage text printed by `--help` and on argument errors. */
  readonly usage: string;
  /** Runs the command with the arguments that follow its path; resolves to the process exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}

/** An error whose message is meant for the user as is (bad flags, missing files): printed without a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
