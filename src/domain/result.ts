/**
 * The investigation result of ../shared/SCENARIOS.md: the state machine's output, what the CLI prints with
 * --json, and what the API returns. One schema for all three.
 */
import * as z from 'zod';
import { CATEGORIES } from './taxonomy.ts';

export const SPECIALISTS = ['kubernetes', 'logs', 'metrics', 'runbooks'] as const;
export type SpecialistName = (typeof SPECIALISTS)[number];

export const evidenceSchema = z.object({
  /** The tool (`kubernetes___get_pod_status`) or specialist the datum came from. */
  source: z.string().min(1),
  detail: z.string().min(1),
  /** When the datum happened, ISO, where it has a time. */
  at: z.string().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const rootCauseSchema = z.object({
  category: z.enum(CATEGORIES),
  resource: z.string(),
  summary: z.string(),
  confidence: z.number().min(0).max(1),
});
export type RootCause = z.infer<typeof rootCauseSchema>;

export const hypothesisSchema = rootCauseSchema.extend({ evidence: z.array(evidenceSchema) });
export type Hypothesis = z.infer<typeof hypothesisSchema>;

export const specialistRunSchema = z.object({
  name: z.enum(SPECIALISTS),
  status: z.enum(['ok', 'partial', 'failed', 'skipped']),
  toolCalls: z.number().int().min(0),
  durationMs: z.number().min(0),
  /** Why it failed or what it could not do, for the report's gaps. */
  error: z.string().optional(),
});
export type SpecialistRun = z.infer<typeof specialistRunSchema>;

export const investigationResultSchema = z.object({
  investigationId: z.string().min(1),
  status: z.enum(['completed', 'partial', 'failed']),
  rootCause: rootCauseSchema.nullable(),
  hypotheses: z.array(hypothesisSchema),
  specialists: z.array(specialistRunSchema),
  report: z.object({ uri: z.string() }),
  durationMs: z.number().min(0),
  /** Tools or specialists that failed and data that was missing. */
  gaps: z.array(z.string()).optional(),
});
export type InvestigationResult = z.infer<typeof investigationResultSchema>;
