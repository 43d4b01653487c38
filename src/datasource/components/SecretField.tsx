import React from 'react';
import type { DataSourceSettings } from '@grafana/data';
import { Field, SecretInput, SecretTextArea } from '@grafana/ui';
import type { CovenantOptions } from '../../shared/types';

type Options = DataSourceSettings<CovenantOptions>;

interface Props {
  options: Options;
  onOptionsChange: (o: Options) => void;
  /** The secureJsonData key, e.g. connectors.<uid>.password. */
  secretKey: string;
  label: string;
  description: string;
  testId: string;
  /** A text area (for PEM certificates and keys, whose line breaks matter) instead of one line. */
  multiline?: boolean;
  placeholder?: string;
}

/** A secret kept in secureJsonData: shown as "configured" once saved, never read back. */
export function SecretField({
  options,
  onOptionsChange,
  secretKey,
  label,
  description,
  testId,
  multiline,
  placeholder,
}: Props) {
  const data = (options.secureJsonData ?? {}) as Record<string, string>;
  const common = {
    'data-testid': testId,
    placeholder,
    isConfigured: Boolean(options.secureJsonFields?.[secretKey]),
    value: data[secretKey] ?? '',
    onChange: (e: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onOptionsChange({ ...options, secureJsonData: { ...data, [secretKey]: e.currentTarget.value } }),
    onReset: () =>
      onOptionsChange({
        ...options,
        secureJsonFields: { ...options.secureJsonFields, [secretKey]: false },
        secureJsonData: { ...data, [secretKey]: '' },
      }),
  };
  return (
    <Field label={label} description={description}>
      {multiline ? <SecretTextArea {...common} cols={64} rows={4} /> : <SecretInput {...common} width={40} />}
    </Field>
  );
}
