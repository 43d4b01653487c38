import { t, Trans } from '@grafana/i18n';
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  EmptyState,
  Icon,
  IconButton,
  Input,
  LinkButton,
  LoadingPlaceholder,
  TextLink,
  useStyles2,
} from '@grafana/ui';
import { listRegistry } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { testIds } from '../shared/testIds';
import type { RegistryKind, RegistryMeta } from '../shared/types';
import { roleName, unescaped } from '../shared/i18n';
import { useCovenant } from '../app/CovenantContext';
import { RemovalDialog, useRemoval } from './Removal';

export const PAGE_SIZE = 50;

/** A column of a registry table. */
export interface Column<T> {
  header: string;
  cell: (item: T) => React.ReactNode;
  /** The first column links to the object; sub is shown under that link. */
  sub?: (item: T) => React.ReactNode;
  numeric?: boolean;
}

/** What a registry list says, in the user's language: "Search contracts by name", "New contract", … */
export interface RegistryTableWords {
  search: string;
  create: string;
  remove: string;
  notRemoved: string;
  loading: string;
  failed: string;
  none: string;
  noMatch: string;
  /** The empty result of a search, e.g. No contract name contains “acme”. */
  noNameContains: (search: string) => string;
}

export interface RegistryTableProps<T extends RegistryMeta & { name?: string }> {
  kind: RegistryKind;
  /** The page's sentences, whole (a language builds its own plural and grammar). */
  words: RegistryTableWords;
  columns: Array<Column<T>>;
  /** Where a row's name leads. */
  href: (item: T) => string;
  createHref: string;
  /** What to do when there is nothing yet (no search). */
  emptyHint: React.ReactNode;
  /** Called with each page shown, e.g. to load more about its rows. */
  onPage?: (items: T[]) => void;
  /** Rows can be deleted from the list (the backend refuses while something depends on them). */
  deletable?: boolean;
  testId?: { page?: string; table?: string; search?: string; empty?: string; count?: string; create?: string };
  rowTestId?: (item: T) => string;
}

/** A page of a registry kind: search by name, pages of 50, a create button for writers, delete per row. */
export function RegistryTable<T extends RegistryMeta & { name?: string }>(props: RegistryTableProps<T>) {
  const { kind, words, columns, href, createHref, emptyHint, onPage, deletable } = props;
  const { ds, canWrite, writeRole } = useCovenant();
  const styles = useStyles2(getStyles);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () => listRegistry<T>(ds.uid, kind, { search, limit: PAGE_SIZE, offset }),
    [ds.uid, kind, search, offset]
  );
  const ids = {
    page: props.testId?.page ?? testIds.list.page(kind),
    table: props.testId?.table ?? testIds.list.table(kind),
    search: props.testId?.search ?? testIds.list.search(kind),
    empty: props.testId?.empty ?? testIds.list.empty(kind),
    create: props.testId?.create ?? testIds.list.create(kind),
  };
  const items = page.state === 'ready' ? page.value.items : undefined;
  useEffect(() => {
    if (items && onPage) {
      onPage(items);
    }
  }, [items, onPage]);

  const removal = useRemoval<T>(kind, page.reload);

  const data = page.value;
  const searchLabel = words.search;
  return (
    <div data-testid={ids.page}>
      <div className={styles.toolbar}>
        <Input
          data-testid={ids.search}
          prefix={<Icon name="search" />}
          placeholder={searchLabel}
          aria-label={searchLabel}
          width={40}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setOffset(0);
          }}
        />
        {canWrite ? (
          <LinkButton icon="plus" href={createHref} data-testid={ids.create}>
            {words.create}
          </LinkButton>
        ) : (
          <span className={styles.muted}>
            <Trans i18nKey="components.registry-table.changes-need-role" values={{ writeRole: roleName(writeRole) }}>
              Changes need the {'{{writeRole}}'} role.
            </Trans>
          </span>
        )}
      </div>
      <RemovalDialog
        removal={removal}
        title={words.remove}
        body={(item) =>
          t('components.registry-table.body-delete-item', 'Delete “{{name}}”? Its audit trail is kept.', {
            name: item.name ?? item.id,
            ...unescaped,
          })
        }
        refused={words.notRemoved}
      />
      {page.state === 'loading' && !data && <LoadingPlaceholder text={words.loading} />}
      {page.state === 'error' && (
        <Alert severity="error" title={words.failed} data-testid={testIds.contracts.error}>
          {page.failure.message}
        </Alert>
      )}
      {data && data.total === 0 && (
        <EmptyState variant={search ? 'not-found' : 'call-to-action'} message={search ? words.noMatch : words.none}>
          <div data-testid={ids.empty}>{search ? words.noNameContains(search) : emptyHint}</div>
        </EmptyState>
      )}
      {data && data.items.length > 0 && (
        <>
          <table className={styles.table} data-testid={ids.table}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} className={c.numeric ? styles.num : undefined}>
                    {c.header}
                  </th>
                ))}
                {deletable && canWrite && (
                  <th aria-label={t('components.registry-table.aria-label-actions', 'Actions')} />
                )}
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id} data-testid={props.rowTestId?.(item) ?? testIds.list.row(kind, item.id)}>
                  {columns.map((c, i) => (
                    <td key={c.header} className={c.numeric ? styles.num : undefined}>
                      {i === 0 ? (
                        <>
                          <TextLink href={href(item)} inline={false} weight="medium">
                            {String(c.cell(item) || item.id)}
                          </TextLink>
                          {c.sub && <div className={styles.muted}>{c.sub(item)}</div>}
                        </>
                      ) : (
                        c.cell(item)
                      )}
                    </td>
                  ))}
                  {deletable && canWrite && (
                    <td className={styles.actions}>
                      <IconButton
                        name="trash-alt"
                        tooltip={t('components.registry-table.tooltip-delete-item', 'Delete {{name}}', {
                          name: item.name ?? item.id,
                          ...unescaped,
                        })}
                        data-testid={testIds.list.remove(kind, item.id)}
                        onClick={() => removal.ask(item)}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <div className={styles.pager}>
            <span data-testid={props.testId?.count}>
              {t('components.registry-table.range-of-total', '{{first}}–{{last}} of {{total}}', {
                first: data.offset + 1,
                last: data.offset + data.items.length,
                total: data.total,
              })}
            </span>
            <Button
              variant="secondary"
              size="sm"
              icon="angle-left"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              <Trans i18nKey="components.registry-table.previous">Previous</Trans>
            </Button>
            <Button
              variant="secondary"
              size="sm"
              icon="angle-right"
              disabled={offset + PAGE_SIZE >= data.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              <Trans i18nKey="components.registry-table.next">Next</Trans>
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

export const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(1, 1.5),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  actions: css({ width: 1, whiteSpace: 'nowrap' }),
  toolbar: css({
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    justifyContent: 'space-between',
    marginBottom: theme.spacing(2),
  }),
  pager: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', marginTop: theme.spacing(2) }),
});
