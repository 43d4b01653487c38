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
  /** The role the datasource requires to sign off, dispute and resolve closed periods. */
  disputeRole: Role;
  /** The signed-in user's org role reaches disputeRole. */
  canDispute: boolean;
  /** The signed-in user's org role ('' for none). */
  role: string;
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

/**
 * The role that acts on closed periods: the datasource's disputeRole, else its write role but at
 * least Editor (a Viewer never acts on the ledger); mirrors models.Settings.applyDefaults.
 */
export function disputeRoleOf(options: Pick<CovenantOptions, 'writeRole' | 'disputeRole'> | undefined): Role {
  if (options?.disputeRole) {
    return options.disputeRole;
  }
  const write = options?.writeRole ?? 'Editor';
  return roleAtLeast(write, 'Editor') ? write : 'Editor';
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
    const disputeRole = disputeRoleOf(ds.jsonData);
    return {
      ds,
      writeRole,
      canWrite: roleAtLeast(role, writeRole),
      disputeRole,
      canDispute: roleAtLeast(role, disputeRole),
      role,
    };
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
