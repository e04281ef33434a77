/**
 * A client of the REST API (deployed, or the dev server): start an investigation, poll it with progress, fetch
 * the report. Bearer tokens come from a provider (the CLI's cached Cognito tokens, or the local issuer). Starts
 * always carry an Idempotency-Key, so a retried POST can never start a second investigation.
 */
import { randomUUID } from 'node:crypto';
import type { InvestigationResult } from '../domain/result.ts';
import type { Preferences } from '../engine/types.ts';
import type { InvestigationStatus } from '../memory/port.ts';

export interface StartResponse {
  investigationId: string;
  status: InvestigationStatus;
  statusUrl: string;
  reportUrl: string;
}

export interface InvestigationView {
  investigationId: string;
  status: InvestigationStatus;
  requester: string;
  trigger: { type: 'question'; question: string } | { type: 'alarm'; alarmName: string; state: string; at: string };
  createdAt: string;
  updatedAt: string;
  steps: string[];
  failure?: { error: string; message: string };
  result?: InvestigationResult;
  statusUrl: string;
  reportUrl: string;
}

export interface InvestigationSummary {
  investigationId: string;
  status: InvestigationStatus;
  requester: string;
  createdAt: string;
  updatedAt: string;
  rootCause?: InvestigationResult['rootCause'];
  statusUrl: string;
}

/** An error answer of the API, with its code and the field it names. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export interface ApiClientOptions {
  /** The API's base URL (the stack's ApiUrl output, or the dev server's URL). */
  baseUrl: string;
  token: () => Promise<string>;
  fetch?: typeof fetch;
  /** Retries of throttled (429) and unavailable (502/503/504) answers. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type StartBody = { question: string; now?: string; scenario?: string } | { alarmEvent: unknown; now?: string; scenario?: string };

export interface WaitOptions {
  intervalMs?: number;
  timeoutMs?: number;
  /** Called on every poll whose status or steps changed. */
  onProgress?: (view: InvestigationView, newSteps: string[]) => void;
  signal?: AbortSignal;
}

const TERMINAL = new Set<InvestigationStatus>(['completed', 'partial', 'failed']);

export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retries = options.retries ?? 3;

  async function request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; accept?: string } = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await options.token()}`,
          accept: init.accept ?? 'application/json',
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      if ((res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504) && attempt < retries) {
        await res.body?.cancel();
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 500 * 2 ** attempt);
        continue;
      }
      if (!res.ok) throw await toError(res);
      return res;
    }
  }

  async function jsonOf<T>(res: Promise<Response>): Promise<T> {
    return (await (await res).json()) as T;
  }

  const getView = (id: string): Promise<InvestigationView> => jsonOf(request('GET', `/investigations/${encodeURIComponent(id)}`));

  return {
    /** POST /investigations; the same `idempotencyKey` always yields the same investigation. */
    start(body: StartBody, opts: { idempotencyKey?: string } = {}): Promise<StartResponse> {
      return jsonOf(request('POST', '/investigations', { body, headers: { 'idempotency-key': opts.idempotencyKey ?? randomUUID() } }));
    },
    get: getView,
    async list(opts: { limit?: number; all?: boolean } = {}): Promise<InvestigationSummary[]> {
      const q = new URLSearchParams();
      if (opts.limit !== undefined) q.set('limit', String(opts.limit));
      if (opts.all) q.set('all', 'true');
      const out = await jsonOf<{ items: InvestigationSummary[] }>(request('GET', `/investigations${q.size ? `?${q}` : ''}`));
      return out.items;
    },
    async report(id: string): Promise<string> {
      return (await request('GET', `/investigations/${encodeURIComponent(id)}/report`, { accept: 'text/markdown' })).text();
    },
    reportUrl(id: string): Promise<{ url: string; expiresAt: string }> {
      return jsonOf(request('GET', `/investigations/${encodeURIComponent(id)}/report?format=url`));
    },
    async getPreferences(): Promise<Preferences> {
      return (await jsonOf<{ preferences: Preferences }>(request('GET', '/preferences'))).preferences;
    },
    async putPreferences(preferences: Preferences): Promise<Preferences> {
      return (await jsonOf<{ preferences: Preferences }>(request('PUT', '/preferences', { body: preferences }))).preferences;
    },
    /** Polls until the investigation finishes (completed, partial or failed) or the timeout passes. */
    async wait(id: string, opts: WaitOptions = {}): Promise<InvestigationView> {
      const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
      const seen = new Set<string>();
      let lastStatus: string | undefined;
      for (;;) {
        if (opts.signal?.aborted) throw new Error('cancelled');
        const view = await getView(id);
        const fresh = view.steps.filter((s) => !seen.has(s));
        fresh.forEach((s) => seen.add(s));
        if (fresh.length || view.status !== lastStatus) opts.onProgress?.(view, fresh);
        lastStatus = view.status;
        if (TERMINAL.has(view.status)) return view;
        if (Date.now() > deadline) throw new Error(`investigation ${id} is still ${view.status} after ${Math.round((opts.timeoutMs ?? 900_000) / 1000)} s; check later with its id`);
        await sleep(opts.intervalMs ?? 2000);
      }
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: unknown; message?: unknown; field?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not JSON (a gateway error page): the status says enough.
  }
  const message = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
  return new ApiError(res.status, typeof body.error === 'string' ? body.error : `http_${res.status}`, message, typeof body.field === 'string' ? body.field : undefined);
}

/** One line per progress event, for a terminal. */
export function progressLine(view: InvestigationView, newSteps: string[]): string[] {
  if (newSteps.length) return newSteps.map((s) => `  ✓ ${s}`);
  return [`  ${view.investigationId}: ${view.status}`];
}

/**
 * Starts an investigation, reports progress line by line, waits for it, and fetches the report. What
 * `sre-agent investigate --api <url>` runs.
 */
export async function investigateRemotely(
  client: ApiClient,
  body: StartBody,
  options: WaitOptions & { onLine?: (line: string) => void; idempotencyKey?: string } = {},
): Promise<{ investigation: InvestigationView; report: string | undefined }> {
  const line = options.onLine ?? (() => undefined);
  const started = await client.start(body, options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {});
  line(`Investigation ${started.investigationId} ${started.status}: ${started.statusUrl}`);
  const investigation = await client.wait(started.investigationId, {
    ...options,
    onProgress: (view, fresh) => {
      progressLine(view, fresh).forEach(line);
      options.onProgress?.(view, fresh);
    },
  });
  const rc = investigation.result?.rootCause;
  if (investigation.failure) line(`Failed: ${investigation.failure.message} (${investigation.failure.error})`);
  else line(`Finished ${investigation.status}${rc ? `: ${rc.category} on ${rc.resource} (confidence ${rc.confidence.toFixed(2)})` : ''}`);
  let report: string | undefined;
  try {
    report = await client.report(started.investigationId);
  } catch (error) {
    if (!(error instanceof ApiError && (error.status === 404 || error.status === 409))) throw error;
  }
  return { investigation, report };
}
