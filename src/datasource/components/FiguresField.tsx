import { t } from '@grafana/i18n';
import React from 'react';
import { Field, MultiSelect } from '@grafana/ui';
import type { CovenantQueryEditorProps } from './QueryEditor';
import { testIds } from '../../shared/testIds';
import { QueryType } from '../../shared/types';

/** The figures each query type can narrow to (one series per frame, for alert rules). */
export const ALERT_FIELDS: Record<string, string[]> = {
  [QueryType.TrackerSeries]: ['rag', 'consecutive_misses', 'actual', 'target', 'variance', 'variance_pct', 'met'],
  [QueryType.AgreementCompliance]: [
    'status',
    'compliance',
    'projected',
    'target',
    'required_run_rate',
    'impact_cost',
    'penalty_reward',
    'at_risk_requests',
  ],
};

/** What each figure is, shown beside it in the picker. */
const figureDescriptions = (): Record<string, string> => ({
  rag: t('datasource.figures-field.figure-rag', 'Red/Amber/Green of each closed bucket: 0, 1, 2'),
  consecutive_misses: t('datasource.figures-field.figure-consecutive-misses', 'Closed buckets missed in a row'),
  actual: t('datasource.figures-field.figure-actual', 'The KPI computed by the tracker'),
  target: t('datasource.figures-field.figure-target', 'The target in force'),
  variance: t('datasource.figures-field.figure-variance', 'Actual minus target, in the unit'),
  variance_pct: t('datasource.figures-field.figure-variance-pct', 'Variance as % of the target'),
  met: t('datasource.figures-field.figure-met', '1 when the closed bucket met its target'),
  status: t('datasource.figures-field.figure-status', 'Compliant 0, at risk 1, breached 2 (no data -1)'),
  compliance: t('datasource.figures-field.figure-compliance', 'Weighted compliance so far, %'),
  projected: t('datasource.figures-field.figure-projected', 'Compliance projected to the period end, %'),
  required_run_rate: t(
    'datasource.figures-field.figure-required-run-rate',
    'Compliance needed from now on to meet the target, %'
  ),
  impact_cost: t('datasource.figures-field.figure-impact-cost', 'Cost of the misses so far'),
  penalty_reward: t(
    'datasource.figures-field.figure-penalty-reward',
    'Penalty (negative) or reward of the band reached'
  ),
  at_risk_requests: t('datasource.figures-field.figure-at-risk-requests', 'Open requests close to their goal'),
});

type FiguresFieldProps = Pick<CovenantQueryEditorProps, 'query' | 'onChange' | 'onRunQuery'> & { figures: string[] };

/** The figures to keep (query.fields): for alert rules, one series per frame. */
export function FiguresField({ query, onChange, onRunQuery, figures }: FiguresFieldProps) {
  const descriptions = figureDescriptions();
  const options = figures.map((f) => ({ value: f, label: f, description: descriptions[f] }));
  return (
    <Field
      label={t('datasource.figures-field.label-figures', 'Figures')}
      description={t(
        'datasource.figures-field.description-figures',
        'Keep only these (all when empty); an alert rule wants one'
      )}
    >
      <div data-testid={testIds.queryEditor.fields}>
        {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
        <MultiSelect<string>
          width={40}
          options={options}
          value={query.fields ?? []}
          placeholder={t('datasource.figures-field.placeholder-all', 'all')}
          onChange={(vs) => {
            const list = vs.map((v) => v.value).filter((v): v is string => Boolean(v));
            onChange({ ...query, fields: list.length ? list : undefined });
            onRunQuery();
          }}
        />
      </div>
    </Field>
  );
}
