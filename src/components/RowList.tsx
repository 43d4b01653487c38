import React from 'react';
import { Button, IconButton, Stack } from '@grafana/ui';

/**
 * An editable list of rows (target steps, bands, milestones): each row's inputs with a remove
 * button, and an add button under them.
 */
export function RowList<T>({
  items,
  onChange,
  newItem,
  noun,
  children,
}: {
  items: T[];
  onChange: (items: T[]) => void;
  /** The row the add button appends (it may continue the last one). */
  newItem: (last: T | undefined) => T;
  /** The row in the singular, for the buttons: "step", "band". */
  noun: string;
  /** A row's inputs; set(i, patch) changes it. */
  children: (item: T, i: number, set: (patch: Partial<T>) => void) => React.ReactNode;
}) {
  const set = (i: number) => (patch: Partial<T>) => onChange(items.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <Stack direction="column" gap={0.5}>
      {items.map((item, i) => (
        <Stack key={i} gap={1} alignItems="center">
          {children(item, i, set(i))}
          <IconButton
            name="trash-alt"
            tooltip={`Remove ${noun} ${i + 1}`}
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
          Add {noun}
        </Button>
      </div>
    </Stack>
  );
}
