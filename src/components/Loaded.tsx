import { t } from '@grafana/i18n';
import React from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import type { Loaded } from '../shared/hooks';
import { unescaped } from '../shared/i18n';

/**
 * What was loaded, or that it is loading, or why it failed ("Could not load the KPI: …"). While a
 * reload runs, the last value stays on screen.
 */
export function LoadedView<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (value: T) => React.ReactNode;
}) {
  if (loaded.state === 'error') {
    return (
      <Alert
        severity="error"
        title={
          loaded.failure.status === 404
            ? t('components.loaded-view.title-no-such', 'No such {{what}}', {
                what: what.replace(/^the /, ''),
                ...unescaped,
              })
            : t('components.loaded-view.title-could-not-load', 'Could not load {{what}}', { what, ...unescaped })
        }
      >
        {loaded.failure.message}
      </Alert>
    );
  }
  if (loaded.value === undefined && loaded.state === 'loading') {
    return (
      <LoadingPlaceholder
        text={t('components.loaded-view.text-loading', 'Loading {{what}}…', { what, ...unescaped })}
      />
    );
  }
  return <>{children(loaded.value as T)}</>;
}
