import React, { createContext, useContext, useMemo } from 'react';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { config } from '@grafana/runtime';
import { ROLES, type CovenantOptions, type Role } from '../shared/types';

/** What every page needs: the Covenant datasource it talks to and whether the user may change the registry. */
export interface Covenant {
  ds: DataSourceInstanceSettings<CovenantOptions>;
  /** The role the datasource requires for writes (its settings; default Editor). */
  writeRole: Role;
  /** The signed-in user's org role reaches writeRole. */
  canWrite: boolean;
}

const Ctx = createContext<Covenant | undefined>(undefined);

/** The user's org role, as Grafana's boot data gives it ('' for none). */
export function userRole(): string {
  return config.bootData?.user?.orgRole ?? '';
}

/** Whether a role reaches the required one (Viewer < Editor < Admin). */
export function roleAtLeast(role: string, required: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(required);
}

export function CovenantProvider({
  ds,
  role = userRole(),
  children,
}: {
  ds: DataSourceInstanceSettings<CovenantOptions>;
  role?: string;
  children: React.ReactNode;
}) {
  const value = useMemo(() => {
    const writeRole = ds.jsonData?.writeRole ?? 'Editor';
    return { ds, writeRole, canWrite: roleAtLeast(role, writeRole) };
  }, [ds, role]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The Covenant datasource of the page; only used below CovenantProvider. */
export function useCovenant(): Covenant {
  const c = useContext(Ctx);
  if (!c) {
    throw new Error('useCovenant outside CovenantProvider');
  }
  return c;
}
