import { t } from '@grafana/i18n';
import React from 'react';
import type { SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { Field, MultiSelect, Select } from '@grafana/ui';
import { listAll } from '../../shared/api';
import { useLoad } from '../../shared/hooks';
import { testIds } from '../../shared/testIds';

/** The registry kinds a query names by id. */
export type PickedKind = 'contracts' | 'agreements' | 'trackers';

interface Named {
  id: string;
  name: string;
}

const allContracts = (): SelectableValue<string> => ({
  value: '*',
  label: t('datasource.registry-picker.every-contract', 'Every contract'),
  description: '*',
});

/**
 * The options of a picker: the dashboard's variables first ($name, so a dashboard can
 * narrow the query), then "*" where every contract is allowed, then the registry's
 * objects by name with their ids. A value that is none of these (typed by hand, or an
 * object since removed) is kept as an option of its own, so it stays visible.
 */
export function pickerOptions(
  objects: Named[],
  variables: string[],
  opts: { all?: boolean; current?: string[] } = {}
): Array<SelectableValue<string>> {
  const out: Array<SelectableValue<string>> = variables.map((v) => ({
    value: `$${v}`,
    label: `$${v}`,
    description: t('datasource.picker-options.out.description.dashboard-variable', 'Dashboard variable'),
  }));
  if (opts.all) {
    out.push(allContracts());
  }
  out.push(...objects.map((o) => ({ value: o.id, label: o.name, description: o.id })));
  for (const v of opts.current ?? []) {
    if (v && !out.some((o) => o.value === v)) {
      out.push({ value: v, label: v });
    }
  }
  return out;
}

/** The names of the dashboard's variables (none outside a dashboard). */
function dashboardVariables(): string[] {
  try {
    return getTemplateSrv()
      .getVariables()
      .map((v) => v.name);
  } catch {
    return [];
  }
}

interface PickerProps {
  /** The Covenant datasource's uid: its registry is listed. */
  uid: string;
  kind: PickedKind;
  testId: string;
  width?: number;
  placeholder?: string;
  /** Offer "*" (every contract). */
  all?: boolean;
  /** Agreements: only those of this contract (a literal id; a variable lists them all). */
  contract?: string;
}

interface SinglePickerProps extends PickerProps {
  value?: string;
  onChange: (value: string | undefined) => void;
}

interface MultiPickerProps extends PickerProps {
  values: string[];
  onChange: (values: string[]) => void;
}

function useObjects(uid: string, kind: PickedKind, contract?: string) {
  const literal =
    contract && !contract.includes('$') && !contract.includes(',') && contract !== '*' ? contract : undefined;
  const filter = kind === 'agreements' && literal ? { contractId: literal } : {};
  return useLoad(() => listAll<Named>(uid, kind, filter), [uid, kind, filter.contractId]);
}

/**
 * A registry object by name, or a dashboard variable, or an id typed by hand (Select, not
 * Combobox: Combobox is missing before Grafana 11.3 and grafanaDependency starts at 11.2).
 */
export function RegistryPicker({
  uid,
  kind,
  testId,
  width,
  placeholder,
  all,
  contract,
  value,
  onChange,
}: SinglePickerProps) {
  const objects = useObjects(uid, kind, contract);
  const options = pickerOptions(objects.value ?? [], dashboardVariables(), {
    all,
    current: value ? [value] : [],
  });
  return (
    <div data-testid={testId}>
      {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
      <Select<string>
        width={width ?? 30}
        options={options}
        value={value || null}
        placeholder={placeholder}
        isLoading={objects.state === 'loading'}
        allowCustomValue
        isClearable
        onChange={(v) => onChange(v?.value || undefined)}
      />
    </div>
  );
}

/** Several registry objects or variables (e.g. trackers, or $tracker). */
export function RegistryMultiPicker({
  uid,
  kind,
  testId,
  width,
  placeholder,
  contract,
  values,
  onChange,
}: MultiPickerProps) {
  const objects = useObjects(uid, kind, contract);
  const options = pickerOptions(objects.value ?? [], dashboardVariables(), { current: values });
  return (
    <div data-testid={testId}>
      {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
      <MultiSelect<string>
        width={width ?? 40}
        options={options}
        value={values}
        placeholder={placeholder}
        isLoading={objects.state === 'loading'}
        allowCustomValue
        onChange={(vs) => onChange(vs.map((v) => v.value).filter((v): v is string => Boolean(v)))}
      />
    </div>
  );
}

/**
 * The query editors' Contract field: a registry contract by name, a dashboard variable or every
 * contract; a change runs the query.
 */
export function ContractField({
  uid,
  description,
  placeholder = '$contract',
  value,
  onPick,
}: {
  uid: string;
  description: string;
  placeholder?: string;
  value?: string;
  onPick: (contract: string | undefined) => void;
}) {
  return (
    <Field label={t('datasource.contract-field.label-contract', 'Contract')} description={description}>
      <RegistryPicker
        uid={uid}
        kind="contracts"
        all
        testId={testIds.queryEditor.contract}
        placeholder={placeholder}
        value={value}
        onChange={onPick}
      />
    </Field>
  );
}
