import React from 'react';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { CovenantProvider } from '../app/CovenantContext';
import { testDatasource } from './backend';

/** Renders a page below CovenantProvider and a router, as the app's root in Grafana does, for a user of the given role. */
export function renderPage(
  ui: React.ReactElement,
  { role = 'Editor', writeRole, disputeRole }: { role?: string; writeRole?: string; disputeRole?: string } = {}
) {
  const ds =
    writeRole || disputeRole ? { ...(testDatasource as object), jsonData: { writeRole, disputeRole } } : testDatasource;
  return render(
    <MemoryRouter>
      <CovenantProvider ds={ds as never} role={role}>
        {ui}
      </CovenantProvider>
    </MemoryRouter>
  );
}
