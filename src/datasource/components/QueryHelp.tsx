import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, QueryEditorHelpProps } from '@grafana/data';
import { Button, Stack, Text, useStyles2 } from '@grafana/ui';
import { testIds } from '../../shared/testIds';
import { DEFAULT_PREVIEW, QueryType, type CovenantQuery } from '../../shared/types';

interface Example {
  /** The example's heading and what it returns, in the user's language. */
  title: () => string;
  what: () => string;
  query: Partial<CovenantQuery>;
}

/** One example per query type, each a query the user can start from. */
export const HELP_EXAMPLES: Example[] = [
  {
    title: () => t('datasource.query-help.tracker-series-title', 'Tracker series'),
    what: () =>
      t(
        'datasource.query-help.tracker-series-what',
        "A contract's trackers per bucket: actual, target, variance, RAG, met, misses in a row. Draw it with the Covenant KPI trend panel; for an alert rule keep one figure (e.g. rag)."
      ),
    query: { queryType: QueryType.TrackerSeries, contract: '$contract' },
  },
  {
    title: () => t('datasource.query-help.tracker-series-alert-title', 'Tracker series for an alert rule'),
    what: () =>
      t(
        'datasource.query-help.tracker-series-alert-what',
        'The RAG of each closed bucket: one series per tracker, labelled contract, tracker, trackerId. Alert when the last value is 2 (red).'
      ),
    query: { queryType: QueryType.TrackerSeries, contract: '$contract', fields: ['rag'] },
  },
  {
    title: () => t('datasource.query-help.contract-scorecard-title', 'Contract scorecard'),
    what: () =>
      t(
        'datasource.query-help.contract-scorecard-what',
        'A table with a row per tracker: latest value, target, variance, RAG, trend, misses in a row and compliance this period.'
      ),
    query: { queryType: QueryType.ContractScorecard, contract: '$contract' },
  },
  {
    title: () => t('datasource.query-help.agreement-compliance-title', 'Agreement compliance'),
    what: () =>
      t(
        'datasource.query-help.agreement-compliance-what',
        "Each agreement's weighted compliance through its review period, with the projection, the run-rate still needed, costs, penalty or reward, and a series per milestone."
      ),
    query: { queryType: QueryType.AgreementCompliance, contract: '$contract' },
  },
  {
    title: () => t('datasource.query-help.portfolio-title', 'Portfolio'),
    what: () =>
      t(
        'datasource.query-help.portfolio-what',
        'A row per contract: classification this period, compliance, worst agreement status, renewal signal and window; and the contract compliance rate.'
      ),
    query: { queryType: QueryType.Portfolio, contract: '*' },
  },
  {
    title: () => t('datasource.query-help.ledger-title', 'Ledger'),
    what: () =>
      t(
        'datasource.query-help.ledger-what',
        'Closed review periods and their restatements, frozen with a digest and a hash chain (a second frame says whether each chain holds).'
      ),
    query: { queryType: QueryType.Ledger, contract: '$contract' },
  },
  {
    title: () => t('datasource.query-help.annotations-title', 'Annotations'),
    what: () =>
      t(
        'datasource.query-help.annotations-what',
        "A contract's history on the charts: period closes and restatements with their figures, milestones while they hold, trackers' RAG changes, renewal and notice dates. Usually set up under the dashboard's Annotations settings."
      ),
    query: { queryType: QueryType.Annotations, contract: '$contract' },
  },
  {
    title: () => t('datasource.query-help.connector-preview-title', 'Connector preview'),
    what: () =>
      t(
        'datasource.query-help.connector-preview-what',
        "The raw rows of a connector query, to check a KPI's SQL before a tracker uses it."
      ),
    query: { queryType: QueryType.ConnectorPreview, ...DEFAULT_PREVIEW },
  },
];

/** The macros of a KPI's SQL and what each becomes, in the user's language. */
const macros = (): Array<[string, string]> => [
  [
    '$__timeFilter(column)',
    t(
      'datasource.query-help.macro-time-filter',
      'column within the buckets asked for (whole buckets, in the tracker’s zone)'
    ),
  ],
  ['$__timeFrom, $__timeTo', t('datasource.query-help.macro-time-from-to', 'the start and end of those buckets')],
  ['$__key', t('datasource.query-help.macro-key', 'the contract key of the assignment (or of the query)')],
];

/** The query editor's help (Grafana shows it under "Help"): what each query type returns, with examples. */
export function QueryHelp({ onClickExample, query }: QueryEditorHelpProps<CovenantQuery>) {
  const styles = useStyles2(getStyles);
  return (
    <div data-testid={testIds.queryEditor.help} className={styles.help}>
      <Stack direction="column" gap={2}>
        <Text element="p">
          <Trans i18nKey="datasource.query-help.intro">
            Every query runs in the Covenant backend, so panels, alert rules and shared dashboards all see the same
            figures. Contract, agreement and tracker pickers take the dashboard&apos;s variables ($contract, $tracker),
            and * for every contract.
          </Trans>
        </Text>
        {HELP_EXAMPLES.map((e, i) => (
          <div key={i}>
            <Stack alignItems="center" gap={1}>
              <Text element="h5">{e.title()}</Text>
              <Button
                size="sm"
                variant="secondary"
                fill="text"
                onClick={() => onClickExample({ ...e.query, refId: query.refId } as CovenantQuery)}
              >
                <Trans i18nKey="datasource.query-help.use-this-example">Use this example</Trans>
              </Button>
            </Stack>
            <Text element="p" color="secondary">
              {e.what()}
            </Text>
          </div>
        ))}
        <div>
          <Text element="h5">
            <Trans i18nKey="datasource.query-help.macros-heading">Macros in a KPI&apos;s SQL</Trans>
          </Text>
          <ul className={styles.list}>
            {macros().map(([m, what]) => (
              <li key={m}>
                <code>{m}</code> — {what}
              </li>
            ))}
          </ul>
        </div>
      </Stack>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  help: css({ padding: theme.spacing(1) }),
  list: css({ paddingLeft: theme.spacing(2) }),
});
