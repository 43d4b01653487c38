import React, { useState } from 'react';
import { PluginPage, locationService } from '@grafana/runtime';
import { Field, FieldSet, RadioButtonGroup, TextArea } from '@grafana/ui';
import { createRegistry, getRegistry, updateRegistry } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { paths } from '../shared/paths';
import { testIds } from '../shared/testIds';
import { CONTRACT_STATUSES, type Contract } from '../shared/types';
import { useCovenant } from '../components/CovenantContext';
import { LoadedView } from '../components/Loaded';
import { FormButtons, FormShell, SaveFailure, TextField, fieldError, parseNumber, useSubmit } from '../components/form';
import { pageNav } from '../shared/nav';

/** The contract form's text, as typed. */
interface Draft {
  name: string;
  counterparty: string;
  owner: string;
  description: string;
  startDate: string;
  endDate: string;
  renewalDate: string;
  noticeDays: string;
  value: string;
  currency: string;
  status: Contract['status'];
  tags: string;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function toDraft(c?: Contract): Draft {
  return {
    name: str(c?.name),
    counterparty: str(c?.counterparty),
    owner: str(c?.owner),
    description: str(c?.description),
    startDate: str(c?.startDate),
    endDate: str(c?.endDate),
    renewalDate: str(c?.renewalDate),
    noticeDays: str(c?.noticeDays || ''),
    value: str(c?.value || ''),
    currency: c?.currency ?? 'EUR',
    status: c?.status ?? 'draft',
    tags: (c?.tags ?? []).join(', '),
  };
}

/** The contract the draft describes (numbers checked here; everything else by the backend). */
export function fromDraft(d: Draft, base?: Contract): Partial<Contract> {
  return {
    ...(base ? { id: base.id, version: base.version } : {}),
    name: d.name.trim(),
    counterparty: d.counterparty.trim(),
    owner: d.owner.trim() || undefined,
    description: d.description.trim() || undefined,
    startDate: d.startDate || undefined,
    endDate: d.endDate || undefined,
    renewalDate: d.renewalDate || undefined,
    noticeDays: parseNumber(d.noticeDays, 'noticeDays'),
    value: parseNumber(d.value, 'value'),
    currency: d.currency.trim().toUpperCase() || undefined,
    status: d.status,
    tags: d.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  };
}

/** Create a contract (no id) or edit one: every field, validated by the backend field by field. */
export function ContractForm({ id }: { id?: string }) {
  const { ds } = useCovenant();
  const loaded = useLoad(
    () => (id ? getRegistry<Contract>(ds.uid, 'contracts', id) : Promise.resolve(undefined)),
    [ds.uid, id]
  );
  const nav = id
    ? pageNav('Edit', { text: loaded.value?.name ?? id, url: paths.contract(id) })
    : pageNav('New contract');
  return (
    <PluginPage pageNav={nav}>
      <LoadedView loaded={loaded} what="the contract">
        {(contract) => <ContractFormBody contract={contract} />}
      </LoadedView>
    </PluginPage>
  );
}

function ContractFormBody({ contract }: { contract?: Contract }) {
  const { ds, canWrite, writeRole } = useCovenant();
  const [d, setD] = useState<Draft>(() => toDraft(contract));
  const set = (k: keyof Draft) => (v: string) => setD((prev) => ({ ...prev, [k]: v }));
  const { saving, failure, submit } = useSubmit(
    () =>
      contract
        ? updateRegistry<Contract>(ds.uid, 'contracts', fromDraft(d, contract) as Contract)
        : createRegistry<Contract>(ds.uid, 'contracts', fromDraft(d)),
    (saved) => locationService.push(paths.contract(saved.id))
  );
  const statusError = fieldError(failure, 'status');
  const descriptionError = fieldError(failure, 'description');
  return (
    <FormShell
      label={contract ? `Edit ${contract.name}` : 'New contract'}
      onSubmit={submit}
      readOnly={canWrite ? undefined : `Creating and changing contracts needs the ${writeRole} role.`}
    >
      <FieldSet label={contract ? `Edit ${contract.name}` : 'New contract'}>
        <TextField
          label="Name"
          name="name"
          value={d.name}
          onChange={set('name')}
          failure={failure}
          width={60}
          required
        />
        <TextField
          label="Counterparty"
          name="counterparty"
          description="The other party to the contract"
          value={d.counterparty}
          onChange={set('counterparty')}
          failure={failure}
          width={60}
          required
        />
        <TextField label="Owner" name="owner" value={d.owner} onChange={set('owner')} failure={failure} width={40} />
        <Field label="Description" invalid={Boolean(descriptionError)} error={descriptionError}>
          <TextArea
            id="covenant-description"
            data-testid={testIds.form.field('description')}
            rows={2}
            value={d.description}
            onChange={(e) => set('description')(e.currentTarget.value)}
          />
        </Field>
        <Field label="Status" invalid={Boolean(statusError)} error={statusError}>
          <RadioButtonGroup
            id="covenant-status"
            options={CONTRACT_STATUSES.map((s) => ({ label: s, value: s }))}
            value={d.status}
            onChange={(v) => set('status')(v)}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Term">
        <TextField
          label="Start date"
          name="startDate"
          type="date"
          value={d.startDate}
          onChange={set('startDate')}
          failure={failure}
          width={25}
        />
        <TextField
          label="End date"
          name="endDate"
          type="date"
          value={d.endDate}
          onChange={set('endDate')}
          failure={failure}
          width={25}
        />
        <TextField
          label="Renewal date"
          name="renewalDate"
          type="date"
          value={d.renewalDate}
          onChange={set('renewalDate')}
          failure={failure}
          width={25}
        />
        <TextField
          label="Notice period (days)"
          name="noticeDays"
          description="Notice must be given this many days before the renewal date"
          value={d.noticeDays}
          onChange={set('noticeDays')}
          failure={failure}
          width={15}
        />
      </FieldSet>
      <FieldSet label="Value">
        <TextField label="Value" name="value" value={d.value} onChange={set('value')} failure={failure} width={25} />
        <TextField
          label="Currency"
          name="currency"
          description="ISO 4217 code, e.g. EUR"
          value={d.currency}
          onChange={set('currency')}
          failure={failure}
          width={10}
        />
        <TextField
          label="Tags"
          name="tags"
          description="Separated by commas"
          value={d.tags}
          onChange={set('tags')}
          failure={failure}
          width={60}
        />
      </FieldSet>
      <SaveFailure failure={failure} />
      <FormButtons
        saving={saving}
        disabled={!canWrite}
        cancelHref={contract ? paths.contract(contract.id) : paths.contracts}
        label={contract ? 'Save contract' : 'Create contract'}
      />
    </FormShell>
  );
}
