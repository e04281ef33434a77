import { describe, expect, it } from 'vitest';
import { cpuMillicores, formatCpu, formatMemory, memoryBytes, parseQuantity } from './quantity.ts';

describe('resource quantities', () => {
  it('reads CPU in millicores from cores, millicores and nanocores', () => {
    expect(cpuMillicores('250m')).toBe(250);
    expect(cpuMillicores('2')).toBe(2000);
    expect(cpuMillicores('0.5')).toBe(500);
    expect(cpuMillicores('1500000000n')).toBe(1500);
    expect(cpuMillicores(undefined)).toBeUndefined();
  });

  it('reads memory in bytes from binary and decimal suffixes and exponents', () => {
    expect(memoryBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('15052988Ki')).toBe(15052988 * 1024);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(memoryBytes('129e6')).toBe(129e6);
    expect(memoryBytes('128974848')).toBe(128974848);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('formats like kubectl', () => {
    expect(formatCpu(2000)).toBe('2');
    expect(formatCpu(1250)).toBe('1250m');
    expect(formatMemory(512 * 2 ** 20)).toBe('512Mi');
    expect(formatMemory(1.5 * 2 ** 30)).toBe('1.5Gi');
  });
});
