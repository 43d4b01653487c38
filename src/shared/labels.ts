import { t } from '@grafana/i18n';
import type { Contract, ExclusionReason, PERIOD_KINDS, Weekday } from './types';

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

/** A weekday of a calendar's hours, short: "Mon" ("Mo"). */
export function weekdayText(day: Weekday | string): string {
  switch (day) {
    case 'mon':
      return t('shared.weekday.mon', 'Mon');
    case 'tue':
      return t('shared.weekday.tue', 'Tue');
    case 'wed':
      return t('shared.weekday.wed', 'Wed');
    case 'thu':
      return t('shared.weekday.thu', 'Thu');
    case 'fri':
      return t('shared.weekday.fri', 'Fri');
    case 'sat':
      return t('shared.weekday.sat', 'Sat');
    case 'sun':
      return t('shared.weekday.sun', 'Sun');
  }
  return day;
}

/** Who acted on the ledger: "Dana Whitfield (dana)", or the login alone. */
export function actorText(by: { login: string; name?: string }): string {
  return by.name && by.name !== by.login ? `${by.name} (${by.login})` : by.login;
}

/** A closed period's state on the ledger, in words: "signed off". */
export function ledgerStateText(state: string): string {
  switch (state) {
    case 'closed':
      return t('shared.ledger-state.closed', 'closed');
    case 'signed_off':
      return t('shared.ledger-state.signed-off', 'signed off');
    case 'disputed':
      return t('shared.ledger-state.disputed', 'disputed');
    case 'resolved':
      return t('shared.ledger-state.resolved', 'resolved');
  }
  return state;
}

/** Why an exclusion is not working time: "maintenance" ("Wartung"). */
export function exclusionReasonText(reason: ExclusionReason | string): string {
  switch (reason) {
    case 'maintenance':
      return t('shared.exclusion-reason.maintenance', 'Maintenance');
    case 'force_majeure':
      return t('shared.exclusion-reason.force-majeure', 'Force majeure');
    case 'customer_caused':
      return t('shared.exclusion-reason.customer-caused', 'Customer caused');
  }
  return reason;
}

/** A length of working time: "10 h", "7 h 30 min", "45 min" (to the nearest minute). */
export function durationText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.trunc(minutes / 60);
  const m = Math.abs(minutes % 60);
  if (h !== 0 && m !== 0) {
    return t('pages.duration-text.hours-minutes', '{{hours}} h {{minutes}} min', { hours: h, minutes: m });
  }
  if (m !== 0) {
    return t('pages.duration-text.minutes', '{{minutes}} min', { minutes: m });
  }
  return t('pages.duration-text.hours', '{{hours}} h', { hours: h });
}
