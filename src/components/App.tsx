import React from 'react';
import { Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import type { AppSettings } from '../shared/types';
import { ContractsPage } from '../pages/ContractsPage';

/** The app's routes; every page lives under /a/covenant-contracts-app/. */
function App(props: AppRootProps<AppSettings>) {
  const uid = props.meta.jsonData?.datasourceUid;
  return (
    <Routes>
      <Route path="*" element={<ContractsPage datasourceUid={uid} />} />
    </Routes>
  );
}

export default App;
