import { describe, expect, it } from 'vitest';
import { inferLevel, levelPrefix, parseLine } from './line.ts';

const REF = Date.parse('2026-03-14T10:32:00Z');
const at = (iso: string) => Date.parse(iso);

describe('parseLine: structured lines', () => {
  it('zap JSON: level, epoch-seconds ts, msg with its error appended', () => {
    const p = parseLine(
      '{"level":"error","ts":1773484312.5,"caller":"store/pg.go:88","msg":"query failed","error":"dial tcp 10.0.3.7:5432: connect: connection refused","service":"orders"}',
      REF,
    );
    expect(p).toMatchObject({
      level: 'ERROR',
      levelExplicit: true,
      timestamp: 1773484312500,
      message: 'query failed: dial tcp 10.0.3.7:5432: connect: connection refused',
      service: 'orders',
      headed: true,
    });
    expect(p.fields?.caller).toBe('store/pg.go:88');
  });

  it('pino: numeric level, epoch-ms time, err object with its stack', () => {
    const p = parseLine(
      JSON.stringify({ level: 50, time: 1773484312374, msg: 'redis call failed', reqId: 'r-17', err: { type: 'Error', message: 'connect ECONNREFUSED 172.20.143.18:6379', stack: 'Error: connect ECONNREFUSED 172.20.143.18:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)' } }),
      REF,
    );
    expect(p.level).toBe('ERROR');
    expect(p.timestamp).toBe(1773484312374);
    expect(p.message).toBe('redis call failed: Error: connect ECONNREFUSED 172.20.143.18:6379');
    expect(p.stackTrace).toContain('at TCPConnectWrap.afterConnect');
    expect(p.correlationId).toBe('r-17');
  });

  it('Logstash / ECS JSON: @timestamp, message, nested log.level and error.stack_trace', () => {
    const p = parseLine(
      JSON.stringify({
        '@timestamp': '2026-03-14T10:31:52.246Z',
        message: 'BatchWriteItem failed',
        log: { level: 'WARN' },
        error: { type: 'software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException', message: 'Rate exceeded', stack_trace: 'software.amazon...\n\tat x' },
        trace: { id: 'abc123' },
      }),
      REF,
    );
    expect(p.level).toBe('WARN');
    expect(p.timestamp).toBe(at('2026-03-14T10:31:52.246Z'));
    expect(p.message).toBe('BatchWriteItem failed: software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: Rate exceeded');
    expect(p.stackTrace).toContain('\tat x');
    expect(p.correlationId).toBe('abc123');
  });

  it('Serilog compact JSON without @l is Information', () => {
    expect(parseLine('{"@t":"2026-03-14T10:31:52Z","@mt":"Order {Id} placed","Id":7}', REF)).toMatchObject({ level: 'INFO', message: 'Order {Id} placed' });
  });

  it('a JSON line without a level gets one from its wording', () => {
    expect(parseLine('{"msg":"upstream request failed","status":502}', REF)).toMatchObject({ level: 'ERROR', levelExplicit: false });
    expect(parseLine('{"kind":"Event","level":"Metadata","verb":"get"}', REF).level).toBe('INFO');
  });

  it('logfmt (logrus text, go-kit), after a stamp or alone', () => {
    const p = parseLine('ts=2026-02-11T18:41:37.770738Z level=error caller=handler.go:142 msg="rank deadline exceeded" path=/api/v2/feed status=503', REF);
    expect(p).toMatchObject({ level: 'ERROR', message: 'rank deadline exceeded', timestamp: at('2026-02-11T18:41:37.770Z') });
    expect(p.fields?.status).toBe('503');
    const q = parseLine('time="2026-03-14T10:31:52Z" level=warning msg="retrying \\"orders\\" call" attempt=2', REF);
    expect(q).toMatchObject({ level: 'WARN', message: 'retrying "orders" call' });
  });

  it('a stamp before a JSON line (kubectl --timestamps)', () => {
    const p = parseLine('2026-03-14T10:31:52.000000001Z {"level":"warn","msg":"slow"}', REF);
    expect(p).toMatchObject({ level: 'WARN', message: 'slow', timestamp: at('2026-03-14T10:31:52Z') });
  });
});

describe('parseLine: text formats', () => {
  it.each([
    // [line, level, message]
    ['2024-01-15T14:23:46.567Z [ERROR] web-service Database connection timeout after 5000ms', 'ERROR', 'web-service Database connection timeout after 5000ms'],
    ['2026-03-10T18:14:39.815Z ERROR 1 --- [checkout-api] [nio-8080-exec-9] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception', 'ERROR', 'Servlet.service() threw exception'],
    ['2026-04-07 03:46:58.279 ERROR [orders-api,a58aba019fa2b6fe] 1 --- [nio-8080-exec-47] o.h.engine.jdbc.spi.SqlExceptionHelper : ERROR: could not extend file', 'ERROR', 'ERROR: could not extend file'],
    ['10:31:52.123 [main] WARN  com.example.OrderService - inventory slow', 'WARN', 'inventory slow'],
    ['2026-01-22 02:31:14,594 INFO fulfillment.handlers.shipment: ORD-6253 shipment created', 'INFO', 'ORD-6253 shipment created'],
    ['2026-03-14 10:31:52,123 - orders.worker - ERROR - payment declined', 'ERROR', 'payment declined'],
    ['ERROR:root:Failed to load config', 'ERROR', 'Failed to load config'],
    ['2026-04-07 03:46:58.412 UTC [2817731] FATAL:  could not write lock file "postmaster.pid": No space left on device', 'FATAL', 'could not write lock file "postmaster.pid": No space left on device'],
    ['2026/03/14 10:31:52 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream', 'ERROR', '29#29: *1 connect() failed (111: Connection refused) while connecting to upstream'],
    ['2026-04-16T15:41:29.763Z info: upstream stats search=47ms(p50) errors=0', 'INFO', 'upstream stats search=47ms(p50) errors=0'],
    ['[CRITICAL] disk almost full', 'FATAL', 'disk almost full'],
  ])('%s', (line, level, message) => {
    const p = parseLine(line, REF);
    expect(p.level).toBe(level);
    expect(p.levelExplicit).toBe(true);
    expect(p.message).toBe(message);
    expect(p.headed).toBe(true);
  });

  it('keeps an exception name that follows the level as the message', () => {
    expect(parseLine('2026-03-14T10:31:52Z ERROR java.net.ConnectException: Connection refused', REF).message).toBe('java.net.ConnectException: Connection refused');
  });

  it('klog', () => {
    const p = parseLine('E0314 10:31:52.123456       1 reflector.go:147] "Failed to watch" err="connection refused"', REF);
    expect(p).toMatchObject({ level: 'ERROR', timestamp: at('2026-03-14T10:31:52.123Z'), message: '"Failed to watch" err="connection refused"' });
    expect(parseLine('I0122 02:41:47.112282      10 node_lifecycle_controller.go:1026] "Node hasn\'t been updated"', REF).level).toBe('INFO');
  });

  it('access logs take their level from the status', () => {
    const clf = parseLine('192.168.1.113 - - [14/Mar/2026:10:25:00 +0000] "GET /api/health HTTP/1.1" 503 89 15', REF);
    expect(clf).toMatchObject({ level: 'ERROR', levelExplicit: false, timestamp: at('2026-03-14T10:25:00Z'), headed: true });
    expect(parseLine('10.0.0.2 - - [14/Mar/2026:10:25:00 +0000] "POST /login HTTP/2.0" 429 0 "-" "curl"', REF).level).toBe('WARN');
    expect(parseLine('2026-03-10T17:50:07.121Z GET / 200 146ms', REF).level).toBe('INFO');
    expect(parseLine('2026-03-10T17:50:07.121Z POST /checkout 502 31ms', REF).level).toBe('ERROR');
  });

  it('does not read a level from message words after other text', () => {
    const p = parseLine('2026-03-14T10:31:52Z user clicked ERROR button', REF);
    expect(p.levelExplicit).toBe(false);
    expect(p.message).toBe('user clicked ERROR button');
  });

  it('continuation lines are not headed', () => {
    expect(parseLine('\tat com.example.Foo.bar(Foo.java:12)', REF).headed).toBe(false);
    expect(parseLine('Caused by: java.net.ConnectException: Connection refused', REF).headed).toBe(false);
    expect(parseLine('goroutine 1 [running]:', REF).headed).toBe(false);
  });
});

describe('inferLevel', () => {
  it.each([
    ['panic: runtime error: invalid memory address or nil pointer dereference', 'FATAL'],
    ['fatal error: all goroutines are asleep - deadlock!', 'FATAL'],
    ['Traceback (most recent call last):', 'ERROR'],
    ['java.lang.IllegalStateException: not ready', 'ERROR'],
    ['Exception in thread "main" java.lang.RuntimeException', 'ERROR'],
    ['TypeError: Cannot read properties of undefined', 'ERROR'],
    ['failed to connect to orders-db', 'ERROR'],
    ['(node:1) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.', 'WARN'],
    ['listening on :8080', 'INFO'],
    ['processed 12 items, errors=0', 'INFO'],
  ])('%s → %s', (text, level) => {
    expect(inferLevel(text)).toBe(level);
  });
});

describe('levelPrefix', () => {
  it('finds the level only among the leading tokens', () => {
    expect(levelPrefix('INFO started')?.level).toBe('INFO');
    expect(levelPrefix('[main] DEBUG x')?.level).toBe('DEBUG');
    expect(levelPrefix('a b c d e ERROR')).toBeUndefined();
  });
});

describe('parseLine on hostile input', () => {
  it('stays linear on long pathological lines', () => {
    const hostile = ['['.repeat(50_000), '2026-03-14T10:31:52Z ' + '[a] '.repeat(20_000), 'a=b '.repeat(20_000), '{"level":' + '['.repeat(10_000), ' '.repeat(50_000) + 'ERROR'];
    const start = performance.now();
    for (const line of hostile) parseLine(line, REF);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('parseLine: JSON without a message', () => {
  it('renders top-level scalars as key=value, leaving out time, level and EMF machinery', () => {
    const emf = parseLine(
      '{"_aws":{"Timestamp":1705328400000,"CloudWatchMetrics":[]},"timestamp":"2024-01-15T14:20:00Z","service":"web-service","cpu_usage_percent":25,"note":"two words","nested":{"a":1}}',
      REF,
    );
    expect(emf.message).toBe('service=web-service cpu_usage_percent=25 note="two words"');
    expect(emf.timestamp).toBe(Date.parse('2024-01-15T14:20:00Z'));
  });
});

describe('parseLine: syslog and .NET', () => {
  it('strips the syslog host and program tag', () => {
    const p = parseLine('Mar 14 10:31:50 ip-10-0-1-12 kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB', REF);
    expect(p).toMatchObject({ timestamp: at('2026-03-14T10:31:50Z'), level: 'ERROR', message: 'Out of memory: Killed process 4242 (java) total-vm:8123456kB' });
    expect(parseLine('Mar 14 10:31:50 ip-10-0-1-12 kubelet[812]: E0314 probe failed', REF).message).toBe('E0314 probe failed');
  });

  it('reads the .NET console logger levels', () => {
    expect(parseLine('fail: Microsoft.AspNetCore.Server.Kestrel[13]', REF).level).toBe('ERROR');
  });
});
