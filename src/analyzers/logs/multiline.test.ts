import { describe, expect, it } from 'vitest';
import type { LogEventRecord } from '../../providers/logs/port.ts';
import { CONTINUATION_GAP_MS, joinMultiline } from './multiline.ts';
import { parseLogEvent } from './record.ts';

const T0 = Date.parse('2026-03-14T10:31:52Z');

/** One event per line, 1 ms apart, in one stream (or the stream given per line). */
function events(lines: Array<string | [string, string]>, start = T0, step = 1): LogEventRecord[] {
  return lines.map((l, i) => {
    const [stream, message] = Array.isArray(l) ? l : ['pod-a', l];
    return { logGroupName: '/app', logStreamName: stream, timestamp: start + i * step, message };
  });
}

const join = (lines: Array<string | [string, string]>, start?: number, step?: number) => joinMultiline(events(lines, start, step).map(parseLogEvent));

describe('joinMultiline', () => {
  it('joins a Java trace that arrived one line per event into the ERROR line that started it', () => {
    const out = join([
      '2026-03-14T10:31:52.000Z ERROR 1 --- [app] [exec-1] c.e.Api : request failed',
      'java.lang.IllegalStateException: pool closed',
      '\tat com.example.Pool.get(Pool.java:12)',
      '\tat com.example.Api.handle(Api.java:40)',
      'Caused by: java.net.ConnectException: Connection refused',
      '\t... 12 more',
      '2026-03-14T10:31:53.000Z INFO 1 --- [app] [exec-2] c.e.Api : ok',
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]!.message).toBe('request failed');
    expect(out[0]!.stackTrace!.split('\n')).toEqual([
      'java.lang.IllegalStateException: pool closed',
      '\tat com.example.Pool.get(Pool.java:12)',
      '\tat com.example.Api.handle(Api.java:40)',
      'Caused by: java.net.ConnectException: Connection refused',
      '\t... 12 more',
    ]);
    expect(out[0]!.line).toContain('Caused by: java.net.ConnectException');
    expect(out[1]!.message).toBe('ok');
  });

  it('a bare Python traceback becomes one ERROR entry named by its exception line', () => {
    const out = join([
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 12, in <module>',
      '    url = os.environ["UPSTREAM_API_URL"]',
      "KeyError: 'UPSTREAM_API_URL'",
      'Starting worker',
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]!.level).toBe('ERROR');
    expect(out[0]!.message).toBe("KeyError: 'UPSTREAM_API_URL'");
    expect(out[0]!.stackTrace).toMatch(/^Traceback \(most recent call last\):\n {2}File/);
    expect(out[1]!.message).toBe('Starting worker');
  });

  it('keeps chained Python tracebacks after a logger line together', () => {
    const out = join([
      '2026-03-14 10:31:52,000 ERROR consumer.loop: receive_message failed',
      'Traceback (most recent call last):',
      '  File "/x.py", line 1, in f',
      'socket.gaierror: [Errno -3] Temporary failure in name resolution',
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '  File "/y.py", line 2, in g',
      'botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: "https://sqs.eu-central-1.amazonaws.com/"',
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toBe('receive_message failed');
    expect(out[0]!.stackTrace).toContain('botocore.exceptions.EndpointConnectionError');
  });

  it('joins a Go panic and its goroutine dump', () => {
    const out = join([
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6d5f3a]',
      '',
      'goroutine 1 [running]:',
      'main.(*Server).handle(0x0)',
      '\t/app/server.go:42 +0x1a',
      'main.main()',
      '\t/app/main.go:12 +0x1d',
      'exit status 2',
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.level).toBe('FATAL');
    expect(out[0]!.message).toBe('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(out[0]!.stackTrace!.split('\n')).toHaveLength(9);
  });

  it('joins Node frames to the error line', () => {
    const out = join(['Error: connect ECONNREFUSED 10.0.0.5:5432', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)']);
    expect(out).toHaveLength(1);
    expect(out[0]!.stackTrace).toContain('TCPConnectWrap');
  });

  it('does not join across streams, beyond the gap, or a plain line to an INFO line', () => {
    const interleaved = join([
      ['pod-a', '2026-03-14T10:31:52Z ERROR boom'],
      ['pod-b', '2026-03-14T10:31:52Z INFO other pod'],
      ['pod-a', '\tat a.B.c(B.java:1)'],
    ]);
    expect(interleaved).toHaveLength(2);
    expect(interleaved.find((r) => r.logStream === 'pod-a')!.stackTrace).toBe('\tat a.B.c(B.java:1)');

    const late = join(['2026-03-14T10:31:52Z ERROR boom', '\tat a.B.c(B.java:1)'], T0, CONTINUATION_GAP_MS + 1);
    expect(late).toHaveLength(2);

    const plain = join(['2026-03-14T10:31:52Z INFO ready', 'java.lang.IllegalStateException: x']);
    expect(plain).toHaveLength(2);
    expect(plain[1]!.level).toBe('ERROR');
  });

  it('reassembles CRI partial lines before parsing them', () => {
    const ev = (log: string, p: 'P' | 'F', i: number): LogEventRecord => ({
      logGroupName: '/app',
      logStreamName: 's',
      timestamp: T0 + i,
      message: JSON.stringify({ log, stream: 'stdout', _p: p, kubernetes: { pod_name: 'api-7f9c6d5b4-x2k4p', namespace_name: 'ns', container_name: 'api' } }),
    });
    const out = joinMultiline([ev('{"level":"error","msg":"very long', 'P', 0), ev(' message"}', 'F', 1)].map(parseLogEvent));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ level: 'ERROR', message: 'very long message' });
  });

  it('never mutates its input records and drops stray blank lines', () => {
    const parsed = events(['2026-03-14T10:31:52Z ERROR boom', '\tat a.B.c(B.java:1)', '']).map(parseLogEvent);
    const before = JSON.stringify(parsed);
    const out = joinMultiline(parsed);
    expect(JSON.stringify(parsed)).toBe(before);
    expect(out).toHaveLength(1);
    expect(joinMultiline(events(['   ']).map(parseLogEvent))).toHaveLength(0);
  });
});

describe('joinMultiline and sub-millisecond order', () => {
  it('restores the write order of lines that share a millisecond from the shipper nanosecond time', () => {
    const line = (log: string, ns: string): LogEventRecord => ({
      logGroupName: '/app',
      logStreamName: 's',
      timestamp: T0,
      message: JSON.stringify({ time: `2026-03-14T10:31:52.000${ns}Z`, stream: 'stderr', log, kubernetes: { pod_name: 'w-6c9d8f7b5-k2x9p', namespace_name: 'n', container_name: 'w' } }),
    });
    // Returned out of order within the millisecond, as CloudWatch may.
    const shuffled = [
      line('2026-03-14 10:31:52,000 ERROR loop: failed', '100000'),
      line("KeyError: 'X'", '400000'),
      line('  File "/a.py", line 1, in f', '300000'),
      line('Traceback (most recent call last):', '200000'),
    ];
    const out = joinMultiline(shuffled.map(parseLogEvent));
    expect(out).toHaveLength(1);
    expect(out[0]!.stackTrace).toBe('Traceback (most recent call last):\n  File "/a.py", line 1, in f\nKeyError: \'X\'');
  });
});

describe('joinMultiline with rounded event timestamps', () => {
  it('orders by the shipper time even when CloudWatch rounded the millisecond up', () => {
    const line = (log: string, frac: string, timestamp: number): LogEventRecord => ({
      logGroupName: '/app',
      logStreamName: 's',
      timestamp,
      message: JSON.stringify({ time: `2026-03-14T10:31:52.${frac}Z`, stream: 'stdout', log, kubernetes: { pod_name: 'w-6c9d8f7b5-k2x9p', namespace_name: 'n', container_name: 'w' } }),
    });
    // .3906 rounds to 391, .3912 truncates and rounds to 391: event order alone cannot tell them apart.
    const events = [
      line('2026-03-14T10:31:52.390Z WARN mail: send failed', '390100000', T0 + 390),
      line('\tat b.C.second(C.java:2)', '391200000', T0 + 391),
      line('org.example.MailException: timed out', '390600000', T0 + 391),
      line('\tat b.C.first(C.java:1)', '390900000', T0 + 391),
    ];
    const out = joinMultiline(events.map(parseLogEvent));
    expect(out).toHaveLength(1);
    expect(out[0]!.stackTrace).toBe('org.example.MailException: timed out\n\tat b.C.first(C.java:1)\n\tat b.C.second(C.java:2)');
  });
});

describe('joinMultiline with trace lines stamped before their header', () => {
  it('joins fragments that precede, within the millisecond, the line that heads them', () => {
    const line = (log: string, ns: string): LogEventRecord => ({
      logGroupName: '/app',
      logStreamName: 's',
      timestamp: T0 + 42,
      message: JSON.stringify({ time: `2026-03-14T10:31:52.042${ns}Z`, stream: 'stdout', log, kubernetes: { pod_name: 'w-6c9d8f7b5-k2x9p', namespace_name: 'n', container_name: 'w' } }),
    });
    const out = joinMultiline(
      [
        line('2026-03-14 10:31:52.042 ERROR [w] 1 --- [exec-1] o.a.c.C : request failed', '369857'),
        line('Caused by: java.net.ConnectException: Connection refused', '369734'),
        line('\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:477)', '369866'),
        line('org.postgresql.util.PSQLException: Connection to db:5432 refused.', '369245'),
        line('\tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)', '369109'),
      ].map(parseLogEvent),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.message).toBe('request failed');
    expect(out[0]!.stackTrace!.split('\n')).toHaveLength(4);
  });

  it('leaves a trace with no header near it as an entry of its own', () => {
    const out = join(['\tat a.B.c(B.java:1)', 'Caused by: java.io.IOException: x', ['other', '2026-03-14T10:31:52Z INFO elsewhere']]);
    expect(out).toHaveLength(2);
    expect(out.find((r) => r.logStream === 'pod-a')!.stackTrace).toBe('Caused by: java.io.IOException: x');
  });
});
