/**
 * The resilience every AWS provider shares: how SDK and network failures are classified, which are retried and
 * with what backoff, how timeouts cut a hung call, and which tool error (type and message) the caller gets.
 */
import { type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  DescribeLogGroupsCommand,
  LimitExceededException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import { NoSuchBucket } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createTtlCache } from '../../src/providers/aws/cache.ts';
import { awsClientSettings, envList, requireEnv } from '../../src/providers/aws/config.ts';
import { classifyAwsError, toToolError } from '../../src/providers/aws/errors.ts';
import { CallTimeoutError, backoffDelay, callAws, resolveResilience, withTimeout } from '../../src/providers/aws/retry.ts';
import { ToolError } from '../../src/tools/errors.ts';
import { virtualTime } from './helpers/time.ts';

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'b6c2f1a0-0000-4000-8000-000000000000', attempts: 1, totalRetryDelay: 0 });
const serviceError = (name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client', message = `${name} happened`) =>
  new CloudWatchLogsServiceException({ name, $fault: fault, $metadata: meta(status), message });
const nodeError = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

describe('classifyAwsError', () => {
  it.each([
    [new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(400) }), 'throttled', 'ThrottlingException'],
    [new LimitExceededException({ message: 'Account maximum query concurrency limit of [30] reached', $metadata: meta(400) }), 'throttled', 'LimitExceededException'],
    [serviceError('Throttling', 400), 'throttled', 'Throttling'],
    [serviceError('SlowDown', 503), 'throttled', 'SlowDown'],
    [serviceError('AccessDeniedException', 400, 'client', 'User: arn:aws:sts::482919373350:assumed-role/tools/fn is not authorized to perform: logs:StartQuery'), 'denied', 'AccessDeniedException'],
    [serviceError('AccessDenied', 403), 'denied', 'AccessDenied'],
    [serviceError('ExpiredTokenException', 400), 'denied', 'ExpiredTokenException'],
    [new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: meta(400) }), 'not-found', 'ResourceNotFoundException'],
    [new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: meta(404) }), 'not-found', 'NoSuchBucket'],
    [serviceError('InternalFailure', 500), 'transient', 'InternalFailure'],
    [serviceError('ServiceUnavailable', 503), 'transient', 'ServiceUnavailable'],
    [serviceError('SomethingNew', 502), 'transient', 'SomethingNew'],
    [serviceError('InvalidParameterException', 400), 'invalid', 'InvalidParameterException'],
    [serviceError('MalformedQueryException', 400), 'invalid', 'MalformedQueryException'],
    [nodeError('ECONNRESET'), 'transient', 'ECONNRESET'],
    [nodeError('ENOTFOUND'), 'transient', 'ENOTFOUND'],
    [new CallTimeoutError(5000, 'logs:StartQuery'), 'timeout', 'TimeoutError'],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'config', 'CredentialsProviderError'],
    [new Error('Region is missing'), 'config', 'RegionMissing'],
  ])('%s → %s', (error, kind, code) => {
    const fault = classifyAwsError(error);
    expect(fault.kind).toBe(kind);
    expect(fault.code).toBe(code);
  });
});

describe('toToolError', () => {
  const ctx = { service: 'CloudWatch Logs', action: 'logs:StartQuery', resource: 'log group /aws/containerinsights/prod/application' };

  it('names the action and the resource when access is denied', () => {
    const error = toToolError(serviceError('AccessDeniedException', 400, 'client', 'User: arn:aws:sts::1:assumed-role/r is not authorized'), ctx);
    expect(error).toBeInstanceOf(ToolError);
    expect(error.type).toBe('AccessDenied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('logs:StartQuery');
    expect(error.message).toContain('/aws/containerinsights/prod/application');
    expect(error.message).toContain('not authorized');
  });

  it('says how often throttled calls were tried', () => {
    const error = toToolError(new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(400) }), ctx, 4);
    expect(error.type).toBe('Throttled');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/after 4 attempts/);
  });

  it('uses the caller-supplied NotFound message', () => {
    const error = toToolError(new ResourceNotFoundException({ message: 'x', $metadata: meta(400) }), { ...ctx, notFound: "CloudWatch Logs has no log group '/x'" });
    expect(error).toMatchObject({ type: 'NotFound', message: "CloudWatch Logs has no log group '/x'" });
  });

  it('maps transient faults to Unavailable, timeouts to Timeout, malformed requests and missing configuration to Internal', () => {
    expect(toToolError(serviceError('InternalFailure', 500), ctx).type).toBe('Unavailable');
    expect(toToolError(new CallTimeoutError(15_000, 'x'), ctx).type).toBe('Timeout');
    expect(toToolError(serviceError('MalformedQueryException', 400), ctx).type).toBe('Internal');
    expect(toToolError(new Error('Region is missing'), ctx).message).toContain('AWS_REGION');
  });

  it('keeps ToolErrors as they are and clips long service messages', () => {
    const own = new ToolError('NotFound', 'mine');
    expect(toToolError(own, ctx)).toBe(own);
    const long = toToolError(serviceError('InternalFailure', 500, 'server', 'x'.repeat(5000)), ctx);
    expect(long.message.length).toBeLessThan(600);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter below it', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0.999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('callAws', () => {
  const ctx = { service: 'CloudWatch Logs', action: 'logs:FilterLogEvents', resource: 'log group /a' };

  it('retries throttling with backoff and returns the first success', async () => {
    const clock = virtualTime();
    let calls = 0;
    const value = await callAws(
      ctx,
      async () => {
        if (++calls < 3) throw new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(400) });
        return 'ok';
      },
      resolveResilience({ runtime: clock.runtime }),
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0]!);
  });

  it("gives up after the policy's attempts with a Throttled error", async () => {
    const clock = virtualTime();
    let calls = 0;
    const failing = callAws(
      ctx,
      async () => {
        calls++;
        throw new LimitExceededException({ message: 'Account maximum query concurrency limit of [30] reached', $metadata: meta(400) });
      },
      resolveResilience({ policy: { maxAttempts: 5 }, runtime: clock.runtime }),
    );
    await expect(failing).rejects.toMatchObject({ type: 'Throttled', message: expect.stringContaining('after 5 attempts') });
    expect(calls).toBe(5);
  });

  it('does not retry a denial or a missing resource', async () => {
    for (const error of [serviceError('AccessDeniedException', 400), new ResourceNotFoundException({ message: 'gone', $metadata: meta(400) })]) {
      let calls = 0;
      await expect(
        callAws(
          ctx,
          async () => {
            calls++;
            throw error;
          },
          resolveResilience({ runtime: virtualTime().runtime }),
        ),
      ).rejects.toBeInstanceOf(ToolError);
      expect(calls).toBe(1);
    }
  });

  it('stops retrying when the next wait would pass the deadline', async () => {
    const clock = virtualTime();
    let calls = 0;
    const failing = callAws(
      ctx,
      async () => {
        calls++;
        throw serviceError('ServiceUnavailable', 503);
      },
      resolveResilience({ policy: { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 1000 }, runtime: { ...clock.runtime, random: () => 0.99 } }),
      { deadline: clock.now() + 2500 },
    );
    await expect(failing).rejects.toMatchObject({ type: 'Unavailable' });
    expect(calls).toBe(3);
  });

  it('turns a call that never answers into a Timeout and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const hung = callAws(
      ctx,
      (s) => {
        signal = s;
        return new Promise<never>(() => {});
      },
      resolveResilience({ policy: { timeoutMs: 50 } }),
    );
    await expect(hung).rejects.toMatchObject({ type: 'Timeout', message: expect.stringContaining('logs:FilterLogEvents') });
    expect(signal?.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('withTimeout', () => {
  it('returns the value of a call that answers in time', async () => {
    await expect(withTimeout(async () => 42, 1000, 'x')).resolves.toBe(42);
  });
});

describe('createTtlCache', () => {
  it('shares a load until it expires and forgets failed loads', async () => {
    const clock = virtualTime();
    const cache = createTtlCache<string, number>(1000, clock.now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual([1, 1]);
    clock.advance(999);
    expect(await cache.get('k', load)).toBe(1);
    clock.advance(2);
    expect(await cache.get('k', load)).toBe(2);
    await expect(cache.get('bad', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('bad', load)).toBe(3);
  });
});

describe('environment helpers', () => {
  it('splits lists and names every missing variable', () => {
    expect(envList(' /a, /b ,,/a\n/c ')).toEqual(['/a', '/b', '/c']);
    expect(envList(undefined)).toEqual([]);
    expect(() => requireEnv({ A: 'x' }, ['A', 'B', 'C'], 'X_PROVIDER=y')).toThrow(/X_PROVIDER=y needs B, C/);
    expect(requireEnv({ A: ' x ' }, ['A'], 'X')).toEqual({ A: 'x' });
  });
});

describe('real SDK clients', () => {
  /**
   * A local endpoint speaking CloudWatch Logs' JSON protocol, so errors go through the SDK's own deserialisation
   * (error codes from `__type`, HTTP status in $metadata) and its Node HTTP handler.
   */
  async function endpoint(answer: (res: ServerResponse) => void) {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      answer(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new CloudWatchLogsClient({
      ...awsClientSettings({ AWS_REGION: 'us-east-1' }),
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    return {
      client,
      requests: () => requests,
      close: () => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    };
  }
  const json = (status: number, body: object) => (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'f1a2b3c4-0000-4000-8000-000000000000' });
    res.end(JSON.stringify(body));
  };
  const ctx = { service: 'CloudWatch Logs', action: 'logs:DescribeLogGroups' };
  const describeGroups = (client: CloudWatchLogsClient) => (abortSignal: AbortSignal) => client.send(new DescribeLogGroupsCommand({}), { abortSignal });

  it('throttling answered by the service is retried by the provider policy (one SDK attempt each), then Throttled', async () => {
    const api = await endpoint(json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }));
    try {
      await expect(callAws(ctx, describeGroups(api.client), resolveResilience({ policy: { maxAttempts: 3 }, runtime: virtualTime().runtime }))).rejects.toMatchObject({ type: 'Throttled' });
      expect(api.requests()).toBe(3);
    } finally {
      await api.close();
    }
  });

  it('a denial is not retried', async () => {
    const api = await endpoint(json(400, { __type: 'AccessDeniedException', message: 'User: arn:aws:sts::1:assumed-role/r/f is not authorized to perform: logs:DescribeLogGroups' }));
    try {
      await expect(callAws(ctx, describeGroups(api.client), resolveResilience({ runtime: virtualTime().runtime }))).rejects.toMatchObject({ type: 'AccessDenied', message: expect.stringContaining('not authorized') });
      expect(api.requests()).toBe(1);
    } finally {
      await api.close();
    }
  });

  it('a connection refused is Unavailable; an endpoint that never answers is a Timeout', async () => {
    const refused = new CloudWatchLogsClient({ ...awsClientSettings({ AWS_REGION: 'us-east-1' }), endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    await expect(callAws(ctx, describeGroups(refused), resolveResilience({ policy: { maxAttempts: 2 }, runtime: virtualTime().runtime }))).rejects.toMatchObject({ type: 'Unavailable', message: expect.stringContaining('ECONNREFUSED') });

    const api = await endpoint(() => {});
    try {
      await expect(callAws(ctx, describeGroups(api.client), resolveResilience({ policy: { timeoutMs: 300 } }))).rejects.toMatchObject({ type: 'Timeout' });
    } finally {
      await api.close();
    }
  });
});
