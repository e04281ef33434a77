import { describe, expect, it } from 'vitest';
import { podFromStreamName, workloadOfPod } from './workload.ts';

describe('workloadOfPod', () => {
  it('uses labels when the envelope recorded them', () => {
    expect(workloadOfPod('checkout-api-7f9c6d5b4-x2k4p', { 'pod-template-hash': '7f9c6d5b4' })).toEqual({
      kind: 'Deployment', name: 'checkout-api', replicaSet: 'checkout-api-7f9c6d5b4',
    });
    expect(workloadOfPod('orders-db-0', { 'statefulset.kubernetes.io/pod-name': 'orders-db-0', 'controller-revision-hash': 'orders-db-5d9' })).toEqual({ kind: 'StatefulSet', name: 'orders-db' });
    expect(workloadOfPod('fluent-bit-abcde', { 'controller-revision-hash': '6b9', 'pod-template-generation': '3' })).toEqual({ kind: 'DaemonSet', name: 'fluent-bit' });
    expect(workloadOfPod('nightly-report-29552730-h6twh', { 'job-name': 'nightly-report-29552730' })).toEqual({ kind: 'CronJob', name: 'nightly-report' });
    expect(workloadOfPod('migrate-db-x7k2p', { 'batch.kubernetes.io/job-name': 'migrate-db' })).toEqual({ kind: 'Job', name: 'migrate-db' });
  });

  it('reads the name when there are no labels', () => {
    expect(workloadOfPod('payment-gateway-7zmvpkt46-8swdv')).toEqual({ kind: 'Deployment', name: 'payment-gateway', replicaSet: 'payment-gateway-7zmvpkt46' });
    expect(workloadOfPod('catalog-api-cj97zxvbdp-fbhp6')?.name).toBe('catalog-api');
    // Hand-written names with vowels or digits outside the real alphabet still read as generated.
    expect(workloadOfPod('database-pod-7b9c4d8f2a-x5m1q')).toMatchObject({ kind: 'Deployment', name: 'database-pod' });
    expect(workloadOfPod('orders-db-0')).toEqual({ kind: 'StatefulSet', name: 'orders-db' });
    expect(workloadOfPod('aws-node-zdsdp')).toEqual({ kind: 'DaemonSet', name: 'aws-node' });
    expect(workloadOfPod('cart-expiry-29552730-h6twh')).toEqual({ kind: 'CronJob', name: 'cart-expiry' });
  });

  it('does not mistake words for generated suffixes', () => {
    expect(workloadOfPod('my-service-backend-worker')).toBeUndefined();
    expect(workloadOfPod('coredns')).toBeUndefined();
    expect(workloadOfPod('api-gateway-server')).toBeUndefined();
  });
});

describe('podFromStreamName', () => {
  it('reads the kubelet log file name of Container Insights streams', () => {
    expect(
      podFromStreamName(
        'ip-10-12-86-71.us-east-2.compute.internal-application.var.log.containers.payment-gateway-7zmvpkt46-8swdv_payments_payment-gateway-5353f2d630232dfa0c423c193a86079702b60452e41c7bee83725d9d33e61285.log',
      ),
    ).toEqual({ pod: 'payment-gateway-7zmvpkt46-8swdv', namespace: 'payments', container: 'payment-gateway' });
  });

  it('reads `<app>/<pod>` streams only when the pod name is unmistakable', () => {
    expect(podFromStreamName('checkout-api/checkout-api-6b9f4d7c85-nlpks')).toEqual({ pod: 'checkout-api-6b9f4d7c85-nlpks' });
    expect(podFromStreamName('2026/03/14/[$LATEST]0123456789abcdef')).toBeUndefined();
    expect(podFromStreamName('orders-db/orders-db-0')).toEqual({ pod: 'orders-db-0' });
    expect(podFromStreamName('web-service')).toBeUndefined();
    expect(podFromStreamName('batch/job-7')).toBeUndefined();
  });
});
