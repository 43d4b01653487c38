import React from 'react';
import type { DataSourceSettings } from '@grafana/data';
import { Field, SecretInput } from '@grafana/ui';
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
}

/** A secret kept in secureJsonData: shown as "configured" once saved, never read back. */
export function SecretField({ options, onOptionsChange, secretKey, label, description, testId }: Props) {
  const data = (options.secureJsonData ?? {}) as Record<string, string>;
  return (
    <Field label={label} description={description}>
      <SecretInput
        data-testid={testId}
        width={40}
        isConfigured={Boolean(options.secureJsonFields?.[secretKey])}
        value={data[secretKey] ?? ''}
        onChange={(e) =>
          onOptionsChange({ ...options, secureJsonData: { ...data, [secretKey]: e.currentTarget.value } })
        }
        onReset={() =>
          onOptionsChange({
            ...options,
            secureJsonFields: { ...options.secureJsonFields, [secretKey]: false },
            secureJsonData: { ...data, [secretKey]: '' },
          })
        }
      />
    </Field>
  );
}
