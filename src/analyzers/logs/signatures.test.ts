import { describe, expect, it } from 'vitest';
import { extractSignature, isEmptySignature, mergeSignature, signatureKeys, signatureText } from './signatures.ts';

describe('extractSignature', () => {
  it('Java: qualified exception types (bare duplicates dropped), endpoints, conditions', () => {
    const s = extractSignature(
      'Failed to obtain JDBC Connection\nCaused by: org.postgresql.util.PSQLException: Connection to orders-db.orders.svc.cluster.local:5432 refused.\nCaused by: java.net.ConnectException: Connection refused',
    );
    expect(s.exceptions).toEqual(['org.postgresql.util.PSQLException', 'java.net.ConnectException']);
    expect(s.endpoints).toEqual(['orders-db.orders.svc.cluster.local:5432']);
    expect(s.conditions).toContain('connection_refused');
  });

  it('Go: dial errors, DNS lookups, gRPC codes', () => {
    const dial = extractSignature('query failed: dial tcp 10.0.3.7:5432: connect: connection refused');
    expect(dial.endpoints).toEqual(['10.0.3.7:5432']);
    expect(dial.conditions).toEqual(['connection_refused']);

    const dns = extractSignature('dial tcp: lookup orders-db on 10.100.0.10:53: no such host');
    expect(dns.hosts).toEqual(['orders-db']);
    expect(dns.conditions).toContain('dns_failure');

    const grpc = extractSignature('rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing"');
    expect(grpc.grpc_codes).toEqual(['UNAVAILABLE']);
    expect(grpc.conditions).toContain('unavailable');
    expect(extractSignature('rpc error: code = DeadlineExceeded desc = context deadline exceeded').grpc_codes).toEqual(['DEADLINE_EXCEEDED']);
    expect(extractSignature('io.grpc.StatusRuntimeException: UNAVAILABLE: io exception').grpc_codes).toEqual(['UNAVAILABLE']);
  });

  it('Node and Python: errno names, getaddrinfo hosts, [Errno N]', () => {
    const node = extractSignature('carrier request failed: Error: getaddrinfo ENOTFOUND api.parcelhub.io');
    expect(node.errnos).toEqual(['ENOTFOUND']);
    expect(node.hosts).toEqual(['api.parcelhub.io']);
    expect(node.conditions).toContain('dns_failure');

    const refused = extractSignature('[ioredis] Unhandled error event: Error: connect ECONNREFUSED 172.20.143.18:6379');
    expect(refused).toMatchObject({ errnos: ['ECONNREFUSED'], endpoints: ['172.20.143.18:6379'] });

    const py = extractSignature("ConnectionRefusedError: [Errno 111] Connection refused");
    expect(py.exceptions).toEqual(['ConnectionRefusedError']);
    expect(py.errnos).toEqual(['ECONNREFUSED']);
    expect(extractSignature('socket.gaierror: [Errno -3] Temporary failure in name resolution')).toMatchObject({
      exceptions: ['socket.gaierror'],
      errnos: ['EAI_AGAIN'],
    });
    expect(extractSignature("KeyError: 'DATABASE_URL'")).toMatchObject({ exceptions: ['KeyError'], conditions: ['missing_config'] });
  });

  it('HTTP statuses only where the text says they are statuses', () => {
    expect(extractSignature('192.168.1.107 - - [15/Jan/2024:14:23:15 +0000] "GET /api/health HTTP/1.1" 503 89 50').http_statuses).toEqual([503]);
    expect(extractSignature('upstream returned status 502').http_statuses).toEqual([502]);
    expect(extractSignature('export failed: HTTP 504 from billing-api').http_statuses).toEqual([504]);
    expect(extractSignature('Service Unavailable: shedding request').http_statuses).toEqual([503]);
    expect(extractSignature('status_code=429 retry later').conditions).toContain('throttled');
    expect(extractSignature('processed 503 orders in 404 ms, 500 left').http_statuses).toBeUndefined();
    expect(extractSignature('exit code 137').http_statuses).toBeUndefined();
    expect(extractSignature('request ok', 503).http_statuses).toEqual([503]);
  });

  it('AWS error codes from the SDKs and bare codes', () => {
    const java = extractSignature(
      'software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded. (Service: DynamoDb, Status Code: 400, Request ID: ABC)',
    );
    expect(java.aws_errors).toEqual(['ProvisionedThroughputExceededException']);
    expect(java.exceptions).toBeUndefined();
    expect(java.conditions).toContain('throttled');
    expect(extractSignature('An error occurred (ThrottlingException) when calling the PutItem operation: Rate exceeded').aws_errors).toEqual(['ThrottlingException']);
    expect(extractSignature('operation error S3: PutObject, https response error StatusCode: 503, api error SlowDown: Please reduce your request rate.').aws_errors).toEqual(['SlowDown']);
    expect(extractSignature('AccessDeniedException: User is not authorized to perform: sqs:SendMessage').conditions).toContain('permission_denied');
    // java.nio's AccessDeniedException is a file-system error, not an AWS code.
    expect(extractSignature('java.nio.file.AccessDeniedException: /data/x').exceptions).toEqual(['java.nio.file.AccessDeniedException']);
  });

  it('TLS and x509 failures, normalised', () => {
    const expired = extractSignature('Post "https://ledger-service.ledger.svc.cluster.local:8443/v1/postings": tls: failed to verify certificate: x509: certificate has expired or is not yet valid');
    expect(expired.tls_errors).toContain('certificate_expired');
    expect(expired.conditions).toEqual(expect.arrayContaining(['tls_error', 'certificate_expired']));
    expect(expired.endpoints).toEqual(['ledger-service.ledger.svc.cluster.local:8443']);
    expect(extractSignature('x509: certificate signed by unknown authority').tls_errors).toEqual(['unknown_authority']);
    expect(extractSignature('javax.net.ssl.SSLHandshakeException: PKIX path building failed').tls_errors).toEqual(
      expect.arrayContaining(['unknown_authority', 'handshake_failure']),
    );
    expect(extractSignature('x509: certificate is valid for a.example, not b.example').tls_errors).toEqual(['hostname_mismatch']);
  });

  it('SQLSTATEs and vendor codes', () => {
    expect(extractSignature('ERROR: sorry, too many clients already (SQLSTATE 53300)')).toMatchObject({ sqlstates: ['53300'], conditions: ['too_many_connections'] });
    expect(extractSignature('SQL Error: 0, SQLState: 53100').sqlstates).toEqual(['53100']);
    expect(extractSignature("SQLSTATE[08006] [7] could not connect").sqlstates).toEqual(['08006']);
    expect(extractSignature('ORA-12541: TNS:no listener').error_codes).toEqual(['ORA-12541']);
    expect(extractSignature('ER_CON_COUNT_ERROR: Too many connections').error_codes).toEqual(['ER_CON_COUNT_ERROR']);
  });

  it('resource conditions: disk, memory, pools, files', () => {
    expect(extractSignature('could not write to file "pg_wal/xlogtemp.44": No space left on device').conditions).toEqual(['disk_full']);
    expect(extractSignature('java.lang.OutOfMemoryError: Java heap space').conditions).toEqual(['out_of_memory']);
    expect(extractSignature('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory').conditions).toContain('out_of_memory');
    expect(extractSignature('HikariPool-1 - Connection is not available, request timed out after 30000ms.').conditions).toEqual(
      expect.arrayContaining(['connection_pool_exhausted', 'timeout']),
    );
    expect(extractSignature('QueuePool limit of size 5 overflow 10 reached, connection timed out').conditions).toContain('connection_pool_exhausted');
    // Client pools of other stacks: node-postgres, Prisma, Npgsql, SqlClient.
    for (const line of [
      'Error: timeout exceeded when trying to connect\n    at /app/node_modules/pg-pool/index.js:45:11',
      'Timed out fetching a new connection from the connection pool. (Current connection pool timeout: 10, connection limit: 5)',
      'Npgsql.NpgsqlException: The connection pool has been exhausted, either raise MaxPoolSize (currently 20) or Timeout (currently 15 seconds)',
      'System.InvalidOperationException: Timeout expired. The timeout period elapsed prior to obtaining a connection from the pool.',
    ]) {
      expect(extractSignature(line).conditions, line).toContain('connection_pool_exhausted');
    }
    expect(extractSignature('accept tcp [::]:8080: accept4: too many open files').conditions).toContain('too_many_open_files');
    expect(extractSignature('FATAL: could not open configuration file "/etc/pg.conf": No such file or directory').conditions).toEqual(
      expect.arrayContaining(['missing_config', 'file_not_found']),
    );
    expect(extractSignature('panic: runtime error: invalid memory address or nil pointer dereference').conditions).toContain('panic');
  });

  it('does not read endpoints from stack frames, times, file names or counters', () => {
    const s = extractSignature('java.lang.OutOfMemoryError: Java heap space at UserService.loadAllUsers(UserService.java:45) main.go:12 at 10:31:52 attempts:10 timeout:5000');
    expect(s.endpoints).toBeUndefined();
    expect(extractSignature('read udp 10.50.55.51:53019->10.20.0.2:53: i/o timeout').endpoints).toEqual(['10.20.0.2:53']);
    expect(extractSignature('connecting to session-redis.sessions.svc.cluster.local:6379. Connection refused.').endpoints).toEqual([
      'session-redis.sessions.svc.cluster.local:6379',
    ]);
    expect(extractSignature('jdbc:postgresql://user:secret@orders-db:5432/orders failed').endpoints).toEqual(['orders-db:5432']);
  });

  it('is empty for ordinary text', () => {
    expect(isEmptySignature(extractSignature('order 123 created for customer 42 (3 items)'))).toBe(true);
  });
});

describe('signatureText', () => {
  it('reads the message and the stating lines of a trace, not its frames', () => {
    const text = signatureText('request failed', 'java.lang.IllegalStateException: x\n\tat com.a.RetryOnError.run(RetryOnError.java:3)\nCaused by: java.net.ConnectException: y');
    expect(text).toBe('request failed\njava.lang.IllegalStateException: x\nCaused by: java.net.ConnectException: y');
    expect(extractSignature(text).exceptions).toEqual(['java.lang.IllegalStateException', 'java.net.ConnectException']);
  });
});

describe('signatureKeys / mergeSignature', () => {
  it('lists kind:value pairs and merges without duplicates', () => {
    const a = extractSignature('dial tcp 10.0.3.7:5432: connect: connection refused');
    const b = extractSignature('dial tcp 10.0.3.8:5432: connect: connection refused');
    mergeSignature(a, b);
    expect(a.endpoints).toEqual(['10.0.3.7:5432', '10.0.3.8:5432']);
    expect(a.conditions).toEqual(['connection_refused']);
    expect(signatureKeys(a)).toEqual([
      { kind: 'endpoints', value: '10.0.3.7:5432' },
      { kind: 'endpoints', value: '10.0.3.8:5432' },
      { kind: 'conditions', value: 'connection_refused' },
    ]);
  });
});

describe('cost on hostile input', () => {
  it('stays linear on long pathological lines', () => {
    const hostile = [
      'a.'.repeat(20_000) + 'Exception',
      'Aa'.repeat(20_000) + 'Error!',
      'host-'.repeat(10_000) + ':',
      'x'.repeat(50_000) + '://' + 'y'.repeat(5_000),
      '1.'.repeat(20_000) + ':80',
      'SQLSTATE '.repeat(5_000),
      'status '.repeat(10_000) + '503',
    ];
    const start = performance.now();
    for (const text of hostile) extractSignature(text);
    // Linear work on 4 KB (the cap) per text is well under a millisecond; a backtracking blow-up is seconds.
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('Java socket addresses', () => {
  it('names the host of hostname/ip:port', () => {
    const sig = extractSignature('Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: pricing-engine.pricing.svc.cluster.local/172.20.88.14:8080');
    expect(sig.endpoints).toContain('pricing-engine.pricing.svc.cluster.local:8080');
    expect(sig.conditions).toContain('connection_refused');
    expect(extractSignature('at com.example.Foo.bar(Foo.java:42)').endpoints).toBeUndefined();
  });
});

