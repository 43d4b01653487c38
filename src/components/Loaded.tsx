import React from 'react';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import type { Loaded } from '../shared/hooks';

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
        title={loaded.failure.status === 404 ? `No such ${what.replace(/^the /, '')}` : `Could not load ${what}`}
      >
        {loaded.failure.message}
      </Alert>
    );
  }
  if (loaded.value === undefined && loaded.state === 'loading') {
    return <LoadingPlaceholder text={`Loading ${what}…`} />;
  }
  return <>{children(loaded.value as T)}</>;
}
