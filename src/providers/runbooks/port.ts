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

export interface RunbooksProvider {
  list(): Promise<RunbookDocument[]>;
  get(id: string): Promise<RunbookDocument | null>;
  /** Optional semantic retrieval (Bedrock Knowledge Base): runbook ids with relevance in [0,1]. */
  retrieve?(text: string, limit: number): Promise<Array<{ id: string; score: number; excerpt?: string }>>;
}
