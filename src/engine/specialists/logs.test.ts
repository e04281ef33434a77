import { describe, expect, it } from 'vitest';
import { traceSummary } from './logs.ts';

describe('traceSummary', () => {
  it('keeps a Java exception with its causes and the top frames', () => {
    const trace = [
      'java.lang.NullPointerException: Cannot invoke "Promotion.discountFor(java.math.BigDecimal)" because "promotion" is null',
      '\tat com.example.checkout.pricing.PriceCalculator.applyPromotions(PriceCalculator.java:142)',
      '\tat com.example.checkout.pricing.PriceCalculator.price(PriceCalculator.java:87)',
      '\tat com.example.checkout.service.CheckoutService.submit(CheckoutService.java:211)',
      '\tat com.example.checkout.api.CheckoutController.submit(CheckoutController.java:64)',
      '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)',
      'Caused by: java.lang.IllegalStateException: promotion engine v2 has no fallback',
      '\t... 12 more',
    ].join('\n');
    const out = traceSummary(trace).split('\n');
    expect(out[0]).toContain('NullPointerException');
    expect(out[1]).toContain('Caused by: java.lang.IllegalStateException');
    expect(out).toContain('\tat com.example.checkout.pricing.PriceCalculator.applyPromotions(PriceCalculator.java:142)');
    expect(out.some((l) => l.includes('DispatcherServlet'))).toBe(false);
  });

  it('keeps the statements of a chained Python traceback, which come last', () => {
    const trace = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.12/socket.py", line 976, in getaddrinfo',
      '    for res in _socket.getaddrinfo(host, port, family, type, proto, flags):',
      'socket.gaierror: [Errno -3] Temporary failure in name resolution',
      '',
      'The above exception was the direct cause of the following exception:',
      '',
      'Traceback (most recent call last):',
      '  File "/app/consumer/loop.py", line 87, in run',
      "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL: \"https://sqs.eu-central-1.amazonaws.com/\"",
    ].join('\n');
    const out = traceSummary(trace);
    expect(out).toContain('socket.gaierror: [Errno -3] Temporary failure in name resolution');
    expect(out).toContain('botocore.exceptions.EndpointConnectionError');
    expect(out).not.toContain('Traceback (most recent call last)');
    expect(out).not.toContain('for res in _socket.getaddrinfo');
  });
});
