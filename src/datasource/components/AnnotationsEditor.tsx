import { t } from '@grafana/i18n';
import React from 'react';
import { Checkbox, Field, Stack } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { ContractField } from './RegistryPicker';
import { testIds } from '../../shared/testIds';
import { ANNOTATION_KINDS, QueryType, type AnnotationKind, type CovenantQuery } from '../../shared/types';

const kindLabels = (): Record<AnnotationKind, { label: string; description: string }> => ({
  closes: {
    label: t('datasource.annotations-editor.kind-closes', 'Period closes'),
    description: t(
      'datasource.annotations-editor.kind-closes-description',
      "A review period closed in the ledger, at the period's end"
    ),
  },
  restatements: {
    label: t('datasource.annotations-editor.kind-restatements', 'Restatements'),
    description: t(
      'datasource.annotations-editor.kind-restatements-description',
      'A closed period computed again with other inputs'
    ),
  },
  milestones: {
    label: t('datasource.annotations-editor.kind-milestones', 'Milestones'),
    description: t(
      'datasource.annotations-editor.kind-milestones-description',
      "An agreement's milestone holding (a region while it holds)"
    ),
  },
  rag: {
    label: t('datasource.annotations-editor.kind-rag', 'RAG changes'),
    description: t(
      'datasource.annotations-editor.kind-rag-description',
      "A tracker's RAG changing from one closed bucket to the next"
    ),
  },
  renewal: {
    label: t('datasource.annotations-editor.kind-renewal', 'Renewal and notice'),
    description: t(
      'datasource.annotations-editor.kind-renewal-description',
      "The contract's renewal date and last day to give notice"
    ),
  },
  disputes: {
    label: t('datasource.annotations-editor.kind-disputes', 'Sign-offs and disputes'),
    description: t(
      'datasource.annotations-editor.kind-disputes-description',
      'When a closed period was signed off, disputed or resolved, by whom'
    ),
  },
});

/**
 * Editor of the annotations query type: the contracts ($contract works, with several values; "*" for
 * all) and the kinds of event (all when none is picked, so the last one cannot be unticked).
 */
export function AnnotationsEditor({ query, onChange, onRunQuery, datasource }: CovenantQueryEditorProps) {
  const kinds: readonly AnnotationKind[] = query.kinds?.length ? query.kinds : ANNOTATION_KINDS;
  const toggle = (kind: AnnotationKind, on: boolean) => {
    const next = ANNOTATION_KINDS.filter((k) => (k === kind ? on : kinds.includes(k)));
    onChange({ ...query, kinds: next.length === ANNOTATION_KINDS.length ? undefined : next });
    onRunQuery();
  };
  const labels = kindLabels();
  return (
    <Stack gap={2} wrap="wrap">
      <ContractField
        uid={datasource.uid}
        description={t(
          'datasource.annotations-editor.description-a-contract-or-every',
          'A contract, $contract, or every contract'
        )}
        value={query.contract}
        onPick={(contract) => {
          onChange({ ...query, contract });
          onRunQuery();
        }}
      />
      <Field label={t('datasource.annotations-editor.label-events', 'Events')}>
        <Stack gap={2} wrap="wrap" alignItems="center">
          {ANNOTATION_KINDS.map((kind) => (
            <Checkbox
              key={kind}
              data-testid={testIds.queryEditor.annotationKind(kind)}
              label={labels[kind].label}
              description={labels[kind].description}
              value={kinds.includes(kind)}
              disabled={kinds.length === 1 && kinds[0] === kind}
              onChange={(e) => toggle(kind, e.currentTarget.checked)}
            />
          ))}
        </Stack>
      </Field>
    </Stack>
  );
}

/** The query an annotation runs: always the annotations query type, for $contract unless said. */
export function annotationQuery(target?: Partial<CovenantQuery>): CovenantQuery {
  return { refId: 'Anno', contract: '$contract', ...target, queryType: QueryType.Annotations };
}

/** The editor of an annotation on the Covenant datasource (dashboard settings → Annotations). */
export function AnnotationQueryEditor(props: CovenantQueryEditorProps) {
  const query = annotationQuery(props.query);
  return <AnnotationsEditor {...props} query={query} onChange={(q) => props.onChange(annotationQuery(q))} />;
}
