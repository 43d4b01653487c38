import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage, locationService } from '@grafana/runtime';
import { Button, LinkButton, Stack, Tab, TabContent, TabsBar, useStyles2 } from '@grafana/ui';
import { getRegistry } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { CONTRACT_TABS, paths, type ContractTab } from '../../shared/paths';
import { testIds } from '../../shared/testIds';
import type { Contract } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { RemovalDialog, useRemoval } from '../../components/Removal';
import { StatusBadge } from '../ContractsPage';
import { OverviewTab } from './OverviewTab';
import { TrackingTab } from './TrackingTab';
import { AssignmentsTab } from './AssignmentsTab';
import { AgreementsTab } from './AgreementsTab';
import { ShareContract } from './ShareContract';
import { pageNav } from '../../shared/nav';

/** A contract tab's title. */
function tabLabel(tab: ContractTab): string {
  switch (tab) {
    case 'overview':
      return t('pages.tab-label.overview', 'Overview');
    case 'tracking':
      return t('pages.tab-label.tracking', 'Tracking');
    case 'trackers':
      return t('pages.tab-label.trackers', 'Trackers');
    case 'agreements':
      return t('pages.tab-label.agreements', 'Agreements');
  }
}

/** One contract: its fields, its trend charts, the trackers mapped to it and its agreements, as tabs. */
export function ContractPage({ id, tab, search }: { id: string; tab: ContractTab; search: URLSearchParams }) {
  const { ds } = useCovenant();
  const contract = useLoad(() => getRegistry<Contract>(ds.uid, 'contracts', id), [ds.uid, id]);
  return (
    <PluginPage pageNav={pageNav(contract.value?.name ?? id)}>
      <div data-testid={testIds.contract.page}>
        <LoadedView loaded={contract} what={t('pages.contract-page.what-the-contract', 'the contract')}>
          {(c) => <ContractBody contract={c} tab={tab} search={search} />}
        </LoadedView>
      </div>
    </PluginPage>
  );
}

function ContractBody({ contract, tab, search }: { contract: Contract; tab: ContractTab; search: URLSearchParams }) {
  const { ds, canWrite } = useCovenant();
  const styles = useStyles2(getStyles);
  const removal = useRemoval<Contract>('contracts', () => locationService.push(paths.contracts));
  return (
    <>
      <div className={styles.header}>
        <div>
          {/* The name is the page's title (pageNav); here its status. */}
          <div className={styles.title}>
            <StatusBadge status={contract.status} />
          </div>
          <div className={styles.muted}>
            {contract.owner
              ? t('pages.contract-body.with-counterparty-owner', 'with {{- counterparty}} · owner {{- owner}}', {
                  counterparty: contract.counterparty,
                  owner: contract.owner,
                })
              : t('pages.contract-body.with-counterparty', 'with {{- counterparty}}', {
                  counterparty: contract.counterparty,
                })}
          </div>
        </div>
        <Stack gap={1}>
          <LinkButton
            variant="secondary"
            icon="file-alt"
            href={paths.report(contract.id)}
            data-testid={testIds.contract.report}
          >
            <Trans i18nKey="pages.contract-body.report">Report</Trans>
          </LinkButton>
          <LinkButton
            variant="secondary"
            icon="apps"
            href={paths.dashboard(contract.id, ds.uid)}
            data-testid={testIds.contract.dashboard}
          >
            <Trans i18nKey="pages.contract-body.open-dashboard">Open dashboard</Trans>
          </LinkButton>
          <ShareContract contract={contract} />
          {canWrite && (
            <>
              <LinkButton
                variant="secondary"
                icon="pen"
                href={paths.editContract(contract.id)}
                data-testid={testIds.contract.edit}
              >
                <Trans i18nKey="pages.contract-body.edit">Edit</Trans>
              </LinkButton>
              <Button
                variant="destructive"
                fill="outline"
                icon="trash-alt"
                onClick={() => removal.ask(contract)}
                data-testid={testIds.contract.remove}
              >
                <Trans i18nKey="pages.contract-body.delete">Delete</Trans>
              </Button>
            </>
          )}
        </Stack>
      </div>
      <RemovalDialog
        removal={removal}
        title={t('pages.contract-body.title-delete-contract', 'Delete contract')}
        body={(c) =>
          t(
            'pages.contract-body.body-delete-contract',
            'Delete “{{- name}}”? Unassign its trackers and delete its agreements first; its audit trail is kept.',
            { name: c.name }
          )
        }
        refused={t('pages.contract-body.refused-contract-not-deleted', 'The contract was not deleted')}
      />
      <TabsBar>
        {CONTRACT_TABS.map((name) => (
          <Tab
            key={name}
            label={tabLabel(name)}
            active={name === tab}
            href={paths.contract(contract.id, name)}
            data-testid={testIds.contract.tab(name)}
          />
        ))}
      </TabsBar>
      <TabContent className={styles.content}>
        {tab === 'overview' && <OverviewTab contract={contract} />}
        {tab === 'tracking' && <TrackingTab contract={contract} search={search} />}
        {tab === 'trackers' && <AssignmentsTab contract={contract} />}
        {tab === 'agreements' && <AgreementsTab contract={contract} />}
      </TabContent>
    </>
  );
}

export const getStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  }),
  title: css({ margin: 0, display: 'flex', gap: theme.spacing(1), alignItems: 'center' }),
  muted: css({ color: theme.colors.text.secondary }),
  content: css({ paddingTop: theme.spacing(2) }),
});
