import type { CommandIO } from '../command.ts';

/** Placeholder wiring target for the deployed-API mode; replaced when the API client lands. */
export async function investigateThroughApi(_options: { apiUrl: string; question: string | undefined; json: boolean; io: CommandIO }): Promise<number> {
  throw new Error('investigating through a deployed API is not wired yet');
}
