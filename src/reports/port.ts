/**
 * Where markdown reports live: S3 in AWS (`reports/YYYY/MM/DD/<id>.md`), a folder on a laptop. The supervisor's
 * Finalize step writes through `ReportStore` (src/engine/investigate.ts); the API reads through `ReportReader`.
 * Both address a report by the URI the store gave it (`s3://bucket/key` or `file:///…`), which the investigation
 * record and result carry.
 */
import type { ReportStore } from '../engine/investigate.ts';

export type { ReportStore };

export interface ReportReader {
  /** The markdown, or undefined when no report exists at that URI. Refuses URIs outside the store. */
  read(uri: string): Promise<string | undefined>;
  /** A URL a client can fetch the report from without credentials, valid for `expiresInSeconds`. */
  presign(uri: string, expiresInSeconds: number): Promise<string>;
}

export interface ReportRepository extends ReportStore, ReportReader {}

/** Raised for a URI that does not belong to this store (another bucket, a path outside the folder). */
export class ForeignReportUri extends Error {
  override readonly name = 'ForeignReportUri';
}

/** Investigation ids become file and object names: the characters Step Functions allows in execution names. */
export const REPORT_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function checkReportId(id: string): string {
  if (!REPORT_ID.test(id)) throw new Error(`'${id}' is not a valid investigation id (letters, digits, - and _, at most 80)`);
  return id;
}

/** `YYYY/MM/DD` of an ISO instant, in UTC. */
export function datePath(now: string): string {
  const t = Date.parse(now);
  if (!Number.isFinite(t)) throw new Error(`'${now}' is not an ISO 8601 instant`);
  return new Date(t).toISOString().slice(0, 10).replace(/-/g, '/');
}
