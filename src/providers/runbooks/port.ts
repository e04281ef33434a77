/**
 * What the runbook tools need: the runbook library. Files are markdown with YAML front matter (the scenario
 * contract's format) from a folder or S3; a Bedrock Knowledge Base may add semantic retrieval.
 */
import type { Category } from '../../domain/taxonomy.ts';

export interface RunbookDocument {
  id: string;
  title: string;
  /** Services the runbook is written for; empty means any service. */
  services: string[];
  categories: Category[];
  severity?: string;
  /** The markdown after the front matter. */
  body: string;
  /** Where it came from (file path or s3:// URI), for citations. */
  source: string;
  /** The whole front matter, for fields beyond the contract's (tags, owners, escalation...). */
  frontMatter: Record<string, unknown>;
}

/** A library file that could not be read as a runbook, or was read with a correction; never fatal to the library. */
export interface RunbookProblem {
  /** The file (path or s3:// URI). */
  source: string;
  message: string;
  /** True when the file was left out of the library. */
  skipped: boolean;
}

export interface RunbooksProvider {
  list(): Promise<RunbookDocument[]>;
  get(id: string): Promise<RunbookDocument | null>;
  /** Optional semantic retrieval (Bedrock Knowledge Base): runbook ids with relevance in [0,1]. */
  retrieve?(text: string, limit: number): Promise<Array<{ id: string; score: number; excerpt?: string }>>;
  /** Optional: files left out of (or corrected in) the library, so tools can say why a runbook is missing. */
  problems?(): Promise<RunbookProblem[]>;
}
