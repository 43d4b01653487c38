import { t } from '@grafana/i18n';
import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import type { AppConfigProps } from './app/AppConfig';
import { loadTranslations } from './shared/i18n';
import type { AppSettings } from './shared/types';

// The pages load with the user's catalogue, so their first render is already in the user's language.
const LazyApp = lazy(() => loadTranslations().then(() => import('./app/App')));
const LazyAppConfig = lazy(() => loadTranslations().then(() => import('./app/AppConfig')));

const App = (props: AppRootProps<AppSettings>) => (
  <Suspense fallback={<LoadingPlaceholder text={t('module.app.text-loading-covenant', 'Loading Covenant…')} />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text={t('module.app-config.text-loading', 'Loading…')} />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

loadTranslations();

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  // Grafana reads the tab's title as the plugin loads, before any catalogue: it stays English.
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
