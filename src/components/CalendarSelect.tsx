import React from 'react';
import { Select } from '@grafana/ui';
import type { RegistryMeta } from '../shared/types';

/** What a form needs of a service calendar (GET /registry/calendars) to offer it. */
export type CalendarChoice = RegistryMeta & { name: string; timezone: string };

/**
 * A clearable pick of one of the registry's service calendars, each with its time zone; a calendar
 * the list does not hold (removed since) is still shown by its id.
 */
export function CalendarSelect({
  inputId,
  calendars,
  value,
  placeholder,
  onChange,
}: {
  inputId: string;
  calendars: CalendarChoice[];
  value?: string;
  placeholder: string;
  onChange: (id?: string) => void;
}) {
  const options = calendars.map((c) => ({ label: c.name, value: c.id, description: c.timezone }));
  if (value && !calendars.some((c) => c.id === value)) {
    options.push({ label: value, value, description: '' });
  }
  return (
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    <Select
      inputId={inputId}
      width={40}
      isClearable
      placeholder={placeholder}
      options={options}
      value={value || null}
      onChange={(o) => onChange(o?.value || undefined)}
    />
  );
}
