import { Trans, t } from '@grafana/i18n';
import React from 'react';
import { Button, IconButton, Input, Stack } from '@grafana/ui';
import type { ApiFailure } from '../shared/api';
import { unescaped } from '../shared/i18n';
import { MarkedField } from './form';

/** The keys of a row that hold text. */
type TextKeys<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;

/** A text input in each row of a RowList, labelled "{Noun} {n}: {label}", e.g. "Band 1: from %". */
export interface TextColumn<T> {
  key: TextKeys<T>;
  label: string;
  width: number;
  type?: 'date';
  /** The input's test id in row i, e.g. the field the backend names: milestones[0].condition. */
  testId?: (i: number) => string;
}

interface RowListProps<T> {
  items: T[];
  onChange: (items: T[]) => void;
  /** The row the add button appends (it may continue the last one). */
  newItem: (last: T | undefined) => T;
  /** The row in the singular, for the buttons and the inputs' labels: "step", "band". */
  noun: string;
  columns?: Array<TextColumn<T>>;
  /** A row's other inputs, after its columns; set(patch) changes it. */
  children?: (item: T, i: number, set: (patch: Partial<T>) => void) => React.ReactNode;
}

/**
 * An editable list of rows (target steps, bands, milestones): each row's inputs (a text input per
 * column, then what children draw) with a remove button, and an add button under them.
 */
export function RowList<T>({ items, onChange, newItem, noun, columns = [], children }: RowListProps<T>) {
  const set = (i: number) => (patch: Partial<T>) => onChange(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const row = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <Stack direction="column" gap={0.5}>
      {items.map((item, i) => (
        <Stack key={i} gap={1} alignItems="center">
          {columns.map((c) => (
            <Input
              key={c.key}
              type={c.type}
              aria-label={t('components.row-list.aria-label-row-column', '{{row}} {{n}}: {{column}}', {
                row,
                n: i + 1,
                column: c.label,
                ...unescaped,
              })}
              data-testid={c.testId?.(i)}
              width={c.width}
              value={item[c.key] as string}
              onChange={(e) => set(i)({ [c.key]: e.currentTarget.value } as Partial<T>)}
            />
          ))}
          {children?.(item, i, set(i))}
          <IconButton
            name="trash-alt"
            tooltip={t('components.row-list.tooltip-remove-row', 'Remove {{noun}} {{n}}', {
              noun,
              n: i + 1,
              ...unescaped,
            })}
            onClick={() => onChange(items.filter((_, j) => j !== i))}
          />
        </Stack>
      ))}
      <div>
        <Button
          size="sm"
          variant="secondary"
          icon="plus"
          onClick={() => onChange([...items, newItem(items[items.length - 1])])}
        >
          <Trans i18nKey="components.row-list.add-row" values={{ noun }}>
            Add {'{{noun}}'}
          </Trans>
        </Button>
      </div>
    </Stack>
  );
}

/**
 * A labelled RowList bound to a list field of a form (as RegistryForm's bind gives it), showing the
 * message of a failure that names the list or one of its rows (bands[1].to).
 */
export function RowListField<T>({
  label,
  description,
  name,
  value,
  onChange,
  failure,
  ...list
}: Omit<RowListProps<T>, 'items' | 'onChange'> & {
  label: string;
  description?: string;
  /** The list's JSON field. */
  name: string;
  value: T[];
  onChange: (items: T[]) => void;
  failure?: ApiFailure;
}) {
  return (
    <MarkedField label={label} description={description} failure={failure} fields={[name]}>
      <RowList items={value} onChange={onChange} {...list} />
    </MarkedField>
  );
}
