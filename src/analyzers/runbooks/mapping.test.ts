import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../domain/taxonomy.ts';
import { loadOpenApiDocument } from '../../tools/openapi.ts';
import {
  CATEGORY_MAPPING,
  GUIDE_CATEGORIES,
  INCIDENT_TYPES,
  categoriesNamedIn,
  categoriesOfGuide,
  categoriesOfIncidentType,
  normalizeSeverity,
  primaryGuideCategory,
  primaryIncidentType,
} from './mapping.ts';

describe('the mapping table', () => {
  it('maps every real category onto at least one incident type and guide category, and none onto nothing', () => {
    for (const c of CATEGORIES) {
      const row = CATEGORY_MAPPING[c];
      if (c === 'none') {
        expect(row).toEqual({ incidentTypes: [], guides: [] });
      } else {
        expect(row.incidentTypes.length, c).toBeGreaterThan(0);
        expect(row.guides.length, c).toBeGreaterThan(0);
      }
    }
    for (const t of INCIDENT_TYPES) expect(categoriesOfIncidentType(t).length, t).toBeGreaterThan(0);
    for (const g of GUIDE_CATEGORIES) expect(categoriesOfGuide(g).length, g).toBeGreaterThan(0);
  });

  it('is the mapping the spec tells the model about', () => {
    const description = String((loadOpenApiDocument('runbooks').info as { description: string }).description).replace(/\s+/g, ' ');
    for (const t of INCIDENT_TYPES) {
      const listed = new RegExp(`${t} = ([a-z, -]+?)(?:;|\\.)`).exec(description)?.[1];
      expect(listed, t).toBeDefined();
      const real = categoriesOfIncidentType(t);
      const stated = listed!.startsWith('every category except ')
        ? CATEGORIES.filter((c) => !listed!.replace('every category except ', '').split(/, | and /).includes(c))
        : listed!.split(', ');
      expect(stated.sort(), t).toEqual([...real].sort());
    }
  });

  it('reads primary types and taxonomy ids written in text', () => {
    expect(primaryIncidentType(['none', 'certificate-expired'])).toBe('security');
    expect(primaryIncidentType([])).toBeUndefined();
    expect(primaryGuideCategory(['dependency-failure'])).toBe('networking');
    expect(categoriesNamedIn('Looks like dns-failure, or maybe OOM-KILLED; none of crash loop')).toEqual(['dns-failure', 'oom-killed']);
  });
});

describe('normalizeSeverity', () => {
  it.each([
    ['High', 'high'],
    ['sev1', 'critical'],
    ['SEV-2', 'high'],
    ['P3', 'medium'],
    ['sev4', 'low'],
    ['major', 'high'],
    ['whatever', undefined],
    [undefined, undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSeverity(input)).toBe(expected);
  });
});
