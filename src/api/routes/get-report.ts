/**
 * GET /investigations/{id}/report: the markdown report (`text/markdown`), or with `?format=url` a presigned URL to
 * it. 409 while the investigation is still running: the report is written by its last step.
 */
import { InputError } from '../../domain/errors.ts';
import { HttpError, type ApiRequest, type ApiResponse, isNamedError, json, text } from '../http.ts';
import type { ApiDeps } from '../ports.ts';
import { TERMINAL, investigationIdParam, loadVisible } from './common.ts';

export async function getReport(request: ApiRequest, deps: ApiDeps): Promise<ApiResponse> {
  const id = investigationIdParam(request);
  const format = request.query.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'url') throw new InputError("'format' must be markdown or url", 'format');
  const record = await loadVisible(request, deps, id);
  if (!TERMINAL.has(record.status)) {
    throw new HttpError(409, 'not_ready', `investigation ${id} is ${record.status}; its report is written when it finishes`, {
      extra: { status: record.status },
    });
  }
  const uri = record.reportKey ?? record.result?.report.uri;
  if (!uri) throw new HttpError(404, 'not_found', `investigation ${id} has no report`);
  try {
    if (format === 'url') {
      const seconds = deps.presignSeconds ?? 300;
      const url = await deps.reports.presign(uri, seconds);
      return json(200, { url, expiresAt: new Date(deps.clock() + seconds * 1000).toISOString() });
    }
    const markdown = await deps.reports.read(uri);
    if (markdown === undefined) throw new HttpError(404, 'not_found', `the report of investigation ${id} is not available`);
    return text(200, markdown, 'text/markdown; charset=utf-8');
  } catch (error) {
    if (isNamedError(error, 'ForeignReportUri')) {
      // A record written by another deployment (a local run's file:// URI): not a client error, not a crash.
      deps.log?.warn('report URI outside this report store', { investigationId: id });
      throw new HttpError(404, 'not_found', `the report of investigation ${id} is not available`);
    }
    throw error;
  }
}
