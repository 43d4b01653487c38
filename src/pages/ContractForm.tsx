import { t } from '@grafana/i18n';
import React from 'react';
import { locationService } from '@grafana/runtime';
import { Field, FieldSet, RadioButtonGroup, TextArea } from '@grafana/ui';
import { getRegistry } from '../shared/api';
import { paths } from '../shared/paths';
import { CONTRACT_STATUSES, type Contract } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { TextField, parseNumber } from '../components/form';
import { RegistryForm, RegistryFormPage, useRegistryForm } from '../components/RegistryForm';
import { pageNav } from '../shared/nav';
import { statusText } from '../shared/labels';

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
  return (
    <RegistryFormPage
      what={t('pages.contract-form.what-the-contract', 'the contract')}
      load={() => (id ? getRegistry<Contract>(ds.uid, 'contracts', id) : Promise.resolve(undefined))}
      deps={[ds.uid, id]}
      nav={(contract) =>
        id
          ? pageNav(t('pages.contract-form.nav-edit', 'Edit'), { text: contract?.name ?? id, url: paths.contract(id) })
          : pageNav(t('pages.contract-form.nav-new-contract', 'New contract'))
      }
    >
      {(contract) => <ContractFormBody contract={contract} />}
    </RegistryFormPage>
  );
}

function ContractFormBody({ contract }: { contract?: Contract }) {
  const form = useRegistryForm<Draft, Contract>({
    kind: 'contracts',
    stored: contract,
    initial: () => toDraft(contract),
    body: (d) => fromDraft(d, contract),
    onSaved: (saved) => locationService.push(paths.contract(saved.id)),
  });
  const title = contract
    ? t('pages.contract-form-body.title-edit', 'Edit {{- name}}', { name: contract.name })
    : t('pages.contract-form-body.title-new-contract', 'New contract');
  return (
    <RegistryForm
      form={form}
      label={title}
      writes={t('pages.contract-form-body.writes-contracts', 'contracts')}
      buttons={{
        label: contract
          ? t('pages.contract-form-body.button-save-contract', 'Save contract')
          : t('pages.contract-form-body.button-create-contract', 'Create contract'),
        cancelHref: contract ? paths.contract(contract.id) : paths.contracts,
      }}
    >
      <FieldSet label={title}>
        <TextField
          label={t('pages.contract-form-body.label-name', 'Name')}
          width={60}
          required
          {...form.text('name')}
        />
        <TextField
          label={t('pages.contract-form-body.label-counterparty', 'Counterparty')}
          description={t(
            'pages.contract-form-body.description-the-other-party-to-the-contract',
            'The other party to the contract'
          )}
          width={60}
          required
          {...form.text('counterparty')}
        />
        <TextField label={t('pages.contract-form-body.label-owner', 'Owner')} width={40} {...form.text('owner')} />
        <Field label={t('pages.contract-form-body.label-description', 'Description')} {...form.mark('description')}>
          <TextArea id="covenant-description" rows={2} {...form.input('description')} />
        </Field>
        <Field label={t('pages.contract-form-body.label-status', 'Status')} {...form.mark('status')}>
          <RadioButtonGroup
            id="covenant-status"
            options={CONTRACT_STATUSES.map((s) => ({ label: statusText(s), value: s }))}
            value={form.draft.status}
            onChange={form.set('status')}
          />
        </Field>
      </FieldSet>
      <FieldSet label={t('pages.contract-form-body.label-term', 'Term')}>
        <TextField
          label={t('pages.contract-form-body.label-start-date', 'Start date')}
          type="date"
          width={25}
          {...form.text('startDate')}
        />
        <TextField
          label={t('pages.contract-form-body.label-end-date', 'End date')}
          type="date"
          width={25}
          {...form.text('endDate')}
        />
        <TextField
          label={t('pages.contract-form-body.label-renewal-date', 'Renewal date')}
          type="date"
          width={25}
          {...form.text('renewalDate')}
        />
        <TextField
          label={t('pages.contract-form-body.label-notice-period-days', 'Notice period (days)')}
          description={t(
            'pages.contract-form-body.description-notice-days',
            'Notice must be given this many days before the renewal date'
          )}
          width={15}
          {...form.text('noticeDays')}
        />
      </FieldSet>
      <FieldSet label={t('pages.contract-form-body.label-value', 'Value')}>
        <TextField label={t('pages.contract-form-body.label-value', 'Value')} width={25} {...form.text('value')} />
        <TextField
          label={t('pages.contract-form-body.label-currency', 'Currency')}
          description={t('pages.contract-form-body.description-iso-code-eg-eur', 'ISO 4217 code, e.g. EUR')}
          width={10}
          {...form.text('currency')}
        />
        <TextField
          label={t('pages.contract-form-body.label-tags', 'Tags')}
          description={t('pages.contract-form-body.description-separated-by-commas', 'Separated by commas')}
          width={60}
          {...form.text('tags')}
        />
      </FieldSet>
    </RegistryForm>
  );
}
