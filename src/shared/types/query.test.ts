import { readFileSync } from 'fs';
import { resolve } from 'path';
import { ANNOTATION_KINDS, QUERY_TYPES, QueryType } from './query';

describe('QueryType', () => {
  it('mirrors pkg/models/querytype.go', () => {
    const go = readFileSync(resolve(__dirname, '../../../pkg/models/querytype.go'), 'utf8');
    // QueryTypeTrackerSeries QueryType = "trackerSeries" → TrackerSeries: 'trackerSeries'
    const consts = Object.fromEntries(
      Array.from(go.matchAll(/^\s*QueryType(\w+)\s+QueryType\s*=\s*"(\w+)"/gm), (m) => [m[1], m[2]])
    );
    expect(Object.keys(consts).length).toBeGreaterThan(0);
    expect(QueryType).toEqual(consts);
  });

  it('offers every query type but variables in the query editor', () => {
    expect([...QUERY_TYPES].sort()).toEqual(
      Object.values(QueryType)
        .filter((t) => t !== QueryType.Variables)
        .sort()
    );
  });
});

describe('ANNOTATION_KINDS', () => {
  it('mirrors models.AnnotationKinds in pkg/models/annotations_query.go', () => {
    const go = readFileSync(resolve(__dirname, '../../../pkg/models/annotations_query.go'), 'utf8');
    // AnnotationCloses = "closes" …, in the order of AnnotationKinds
    const consts = Object.fromEntries(
      Array.from(go.matchAll(/^\s*(Annotation\w+)\s*=\s*"(\w+)"/gm), (m) => [m[1], m[2]])
    );
    const order = /AnnotationKinds = \[\]string\{([^}]*)\}/
      .exec(go)?.[1]
      .split(',')
      .map((n) => consts[n.trim()]);
    expect(order).toEqual([...ANNOTATION_KINDS]);
  });
});
