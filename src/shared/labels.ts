import { t } from '@grafana/i18n';
import type { Contract, PERIOD_KINDS } from './types';

// Registry values as the user reads them. The values themselves (stored, sent, in YAML) stay English.

/** A contract's status: "active" ("aktiv"). */
export function statusText(status: Contract['status'] | string): string {
  switch (status) {
    case 'draft':
      return t('shared.contract-status.draft', 'draft');
    case 'active':
      return t('shared.contract-status.active', 'active');
    case 'expired':
      return t('shared.contract-status.expired', 'expired');
    case 'terminated':
      return t('shared.contract-status.terminated', 'terminated');
  }
  return status;
}

/** A review period's kind: "quarter" ("Quartal"). */
export function periodKindText(kind: (typeof PERIOD_KINDS)[number]): string {
  switch (kind) {
    case 'month':
      return t('shared.period-kind.month', 'month');
    case 'quarter':
      return t('shared.period-kind.quarter', 'quarter');
    case 'year':
      return t('shared.period-kind.year', 'year');
    case 'custom':
      return t('shared.period-kind.custom', 'custom');
  }
  return kind;
}
