import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Field, TextArea, useStyles2 } from '@grafana/ui';

export interface CodeFieldProps {
  label: string;
  description: string;
  testId: string;
  rows: number;
  value: string;
  /** Called on every keystroke; keep the text in local state. */
  onChange: (text: string) => void;
  /** Called when the field is left: apply the text and run the query. */
  onCommit: () => void;
}

/** A monospace text area for SQL or JSON that applies its text when left. */
export function CodeField({ label, description, testId, rows, value, onChange, onCommit }: CodeFieldProps) {
  const styles = useStyles2(getStyles);
  return (
    <Field label={label} description={description}>
      <TextArea
        data-testid={testId}
        className={styles.code}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        onBlur={onCommit}
      />
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
