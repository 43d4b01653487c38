import { Trans, t } from '@grafana/i18n';
import React, { useMemo } from 'react';
import { Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom';
import type { AppRootProps, DataSourceInstanceSettings } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { EmptyState, LinkButton } from '@grafana/ui';
import { findCovenantDatasource } from '../shared/api';
import { CONTRACT_TABS, type ContractTab } from '../shared/paths';
import type { AppSettings, CovenantOptions } from '../shared/types';
import { CovenantProvider } from './CovenantContext';
import { ContractsPage } from '../pages/ContractsPage';
import { ContractForm } from '../pages/ContractForm';
import { ContractPage } from '../pages/contract/ContractPage';
import { KpisPage } from '../pages/KpisPage';
import { KpiForm } from '../pages/KpiForm';
import { CalendarsPage } from '../pages/CalendarsPage';
import { CalendarForm } from '../pages/CalendarForm';
import { TrackersPage } from '../pages/TrackersPage';
import { TrackerForm } from '../pages/TrackerForm';
import { ConnectorsPage } from '../pages/ConnectorsPage';
import { PortfolioPage } from '../pages/PortfolioPage';
import { ReportPage } from '../pages/report/ReportPage';
import { RegistryAsCodePage } from '../pages/RegistryAsCodePage';

function ContractRoute() {
  const { id = '' } = useParams();
  const search = new URLSearchParams(useLocation().search);
  const tab = (CONTRACT_TABS as readonly string[]).includes(search.get('tab') ?? '')
    ? (search.get('tab') as ContractTab)
    : 'overview';
  return <ContractPage id={id} tab={tab} search={search} />;
}

function ReportRoute() {
  const { id = '' } = useParams();
  return <ReportPage id={id} search={new URLSearchParams(useLocation().search)} />;
}

function EditContractRoute() {
  const { id } = useParams();
  return <ContractForm id={id} />;
}

function KpiRoute() {
  const { id } = useParams();
  return <KpiForm key={id} id={id} />;
}

function CalendarRoute() {
  const { id } = useParams();
  return <CalendarForm key={id} id={id} />;
}

function TrackerRoute() {
  const { id } = useParams();
  return <TrackerForm key={id} id={id} />;
}

/** The app's routes; every page lives under /a/covenant-contracts-app/ and talks to one Covenant datasource. */
function App(props: AppRootProps<AppSettings>) {
  const uid = props.meta.jsonData?.datasourceUid;
  const ds = useMemo(
    () => findCovenantDatasource(uid) as DataSourceInstanceSettings<CovenantOptions> | undefined,
    [uid]
  );
  if (!ds) {
    return (
      <PluginPage>
        <EmptyState
          variant="call-to-action"
          message={t('app.app.message-no-covenant-datasource-yet', 'No Covenant datasource yet')}
        >
          <p>
            <Trans i18nKey="app.app.add-a-datasource-of-type-covenant-kpi">
              Add a datasource of type “Covenant KPI” to keep contracts, KPIs and trackers. Its embedded demo connector
              needs no setup.
            </Trans>
          </p>
          <LinkButton href="/connections/datasources/new" icon="plus">
            <Trans i18nKey="app.app.add-a-covenant-datasource">Add a Covenant datasource</Trans>
          </LinkButton>
        </EmptyState>
      </PluginPage>
    );
  }
  return (
    <CovenantProvider ds={ds}>
      <Routes>
        <Route path="contracts/new" element={<ContractForm />} />
        <Route path="contracts/:id/edit" element={<EditContractRoute />} />
        <Route path="contracts/:id/report" element={<ReportRoute />} />
        <Route path="contracts/:id" element={<ContractRoute />} />
        <Route path="kpis" element={<KpisPage />} />
        <Route path="kpis/new" element={<KpiForm key="new" />} />
        <Route path="kpis/:id" element={<KpiRoute />} />
        <Route path="calendars" element={<CalendarsPage />} />
        <Route path="calendars/new" element={<CalendarForm key="new" />} />
        <Route path="calendars/:id" element={<CalendarRoute />} />
        <Route path="trackers" element={<TrackersPage />} />
        <Route path="trackers/new" element={<TrackerForm key="new" />} />
        <Route path="trackers/:id" element={<TrackerRoute />} />
        <Route path="connectors" element={<ConnectorsPage />} />
        <Route path="portfolio" element={<PortfolioPage />} />
        <Route path="registry" element={<RegistryAsCodePage />} />
        <Route path="contracts" element={<ContractsPage />} />
        {/* The app's root (and an unknown path) is its first page, so Grafana's menu, title and
            breadcrumb are the Contracts page's own, not Grafana's "Apps" page. */}
        <Route path="*" element={<Navigate to="contracts" replace />} />
      </Routes>
    </CovenantProvider>
  );
}

export default App;
