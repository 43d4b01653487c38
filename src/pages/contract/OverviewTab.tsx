import { t, Trans } from '@grafana/i18n';
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { getAudit } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { testIds } from '../../shared/testIds';
import type { AuditEntry, Contract } from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { LoadedView } from '../../components/Loaded';
import { currency } from '../../shared/format';

/** The last day notice can be given: the renewal date minus the notice period (YYYY-MM-DD), if both are set. */
export function noticeDeadline(c: Pick<Contract, 'renewalDate' | 'noticeDays'>): string | undefined {
  if (!c.renewalDate || !c.noticeDays) {
    return undefined;
  }
  const t = Date.parse(c.renewalDate + 'T00:00:00Z');
  if (Number.isNaN(t)) {
    return undefined;
  }
  return new Date(t - c.noticeDays * 86400000).toISOString().slice(0, 10);
}

/** Whole days from today (UTC) to a YYYY-MM-DD date; negative when it has passed. */
export function daysUntil(date: string, now = Date.now()): number {
  const today = Math.floor(now / 86400000);
  return Math.floor(Date.parse(date + 'T00:00:00Z') / 86400000) - today;
}

/** The contract's fields, its renewal and notice dates, and its audit trail. */
export function OverviewTab({ contract: c }: { contract: Contract }) {
  const styles = useStyles2(getStyles);
  const deadline = noticeDeadline(c);
  const left = deadline ? daysUntil(deadline) : undefined;
  const rows: Array<[string, React.ReactNode]> = [
    [t('pages.overview-tab.field-counterparty', 'Counterparty'), c.counterparty],
    [t('pages.overview-tab.field-owner', 'Owner'), c.owner],
    [t('pages.overview-tab.field-description', 'Description'), c.description],
    [
      t('pages.overview-tab.field-term', 'Term'),
      c.startDate || c.endDate ? `${c.startDate ?? '…'} → ${c.endDate ?? '…'}` : undefined,
    ],
    [t('pages.overview-tab.field-value', 'Value'), c.value ? currency(c.value, c.currency ?? 'EUR') : undefined],
    [t('pages.overview-tab.field-renewal-date', 'Renewal date'), c.renewalDate],
    [
      t('pages.overview-tab.field-notice-period', 'Notice period'),
      c.noticeDays ? t('pages.overview-tab.notice-period-days', '{{count}} days', { count: c.noticeDays }) : undefined,
    ],
    [
      t('pages.overview-tab.field-notice-must-be-given-by', 'Notice must be given by'),
      deadline && (
        <span data-testid={testIds.contract.noticeBy}>
          {deadline}{' '}
          {left !== undefined &&
            (left < 0 ? (
              <Badge text={t('pages.overview-tab.rows.text-notice-date-passed', 'notice date passed')} color="red" />
            ) : (
              <Badge
                text={t('pages.overview-tab.notice-in-days', 'in {{count}} days', { count: left })}
                color={left <= 90 ? 'orange' : 'blue'}
              />
            ))}
        </span>
      ),
    ],
    [t('pages.overview-tab.field-tags', 'Tags'), c.tags?.length ? c.tags.join(', ') : undefined],
    [t('pages.overview-tab.field-id', 'Id'), <code key="id">{c.id}</code>],
    [
      t('pages.overview-tab.field-version', 'Version'),
      t('pages.overview-tab.version-changed-by', '{{version}}, changed {{- at}} by {{- by}}', {
        version: c.version,
        at: c.updatedAt?.slice(0, 16).replace('T', ' ') ?? '',
        by: c.updatedBy ?? '',
      }),
    ],
  ];
  return (
    <div className={styles.grid} data-testid={testIds.contract.overview}>
      <dl className={styles.fields}>
        {rows
          .filter(([, v]) => v !== undefined && v !== '' && v !== null)
          .map(([k, v]) => (
            <React.Fragment key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </React.Fragment>
          ))}
      </dl>
      <AuditTrail id={c.id} version={c.version} />
    </div>
  );
}

/** A registry object's changes, newest first. */
function AuditTrail({ id, version }: { id: string; version: number }) {
  const { ds } = useCovenant();
  const styles = useStyles2(getStyles);
  const audit = useLoad(() => getAudit(ds.uid, 'contracts', id), [ds.uid, id, version]);
  return (
    <section aria-label={t('pages.audit-trail.aria-label-changes', 'Changes')} data-testid={testIds.contract.audit}>
      <h4>
        <Trans i18nKey="pages.audit-trail.changes">Changes</Trans>
      </h4>
      <LoadedView loaded={audit} what={t('pages.audit-trail.what-the-changes', 'the changes')}>
        {(entries) => (
          <ol className={styles.audit}>
            {[...entries].reverse().map((e) => (
              <li key={e.version}>
                <div>
                  <Trans
                    i18nKey="pages.audit-trail.entry"
                    values={{
                      version: e.version,
                      action: e.action,
                      actor: e.actor || t('pages.audit-trail.unknown-actor', 'unknown'),
                      at: e.at.slice(0, 16).replace('T', ' '),
                    }}
                  >
                    <b>v{'{{version}}'}</b> {'{{action}}'} by {'{{actor}}'}, {'{{at}}'}
                  </Trans>
                </div>
                <div className={styles.muted}>{changeText(e)}</div>
              </li>
            ))}
          </ol>
        )}
      </LoadedView>
    </section>
  );
}

const META_FIELDS = new Set(['id', 'version', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy']);

/** "status: draft → active; value: 1000 → 1200" (the API gives changes as JSON text; meta fields are left out). */
export function changeText(e: AuditEntry): string {
  if (!e.changes || e.action !== 'update') {
    return '';
  }
  const c: Record<string, { old?: unknown; new?: unknown }> =
    typeof e.changes === 'string' ? JSON.parse(e.changes) : e.changes;
  const show = (v: unknown) =>
    v === undefined || v === null ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return Object.entries(c)
    .filter(([k]) => !META_FIELDS.has(k))
    .map(([k, v]) => `${k}: ${show(v.old)} → ${show(v.new)}`)
    .join('; ');
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    gap: theme.spacing(4),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  }),
  fields: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(1, 3),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0 },
  }),
  audit: css({ listStyle: 'none', padding: 0, li: { marginBottom: theme.spacing(1) } }),
  muted: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    wordBreak: 'break-word',
  }),
});
