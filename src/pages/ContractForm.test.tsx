import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ContractForm, fromDraft, toDraft } from './ContractForm';
import { callsTo, fakeFetch } from '../test/backend';
import { renderPage } from '../test/render';
import { testIds } from '../shared/testIds';
import type { Contract } from '../shared/types';

let mockFetch = fakeFetch([]);
const mockPush = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest
    .requireActual('../test/runtime')
    .mockRuntime({ fetch: (r: never) => mockFetch(r), push: (p: string) => mockPush(p) })
);

const field = (name: string) => screen.getByTestId(testIds.form.field(name));
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

const stored: Contract = {
  id: 'acme-it',
  version: 3,
  name: 'Acme IT',
  counterparty: 'Acme Corp',
  status: 'active',
  renewalDate: '2027-11-01',
  noticeDays: 90,
  value: 1800000,
  currency: 'EUR',
  tags: ['demo', 'it'],
};

describe('ContractForm', () => {
  beforeEach(() => mockPush.mockReset());

  it('creates a contract and opens its page', async () => {
    mockFetch = fakeFetch([
      [
        'POST registry/contracts',
        (r) => ({ status: 201, data: { ...(r.data as object), id: 'umbrella', version: 1 } }),
      ],
    ]);
    renderPage(<ContractForm />);
    await screen.findByTestId(testIds.form.field('name'));
    type('name', ' Umbrella facilities ');
    type('counterparty', 'Umbrella Corp');
    type('noticeDays', '60');
    type('value', '500000');
    type('tags', 'facilities, emea');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/contracts/umbrella'));
    expect(callsTo(mockFetch, 'POST', 'registry/contracts')[0].data).toMatchObject({
      name: 'Umbrella facilities',
      counterparty: 'Umbrella Corp',
      noticeDays: 60,
      value: 500000,
      currency: 'EUR',
      status: 'draft',
      tags: ['facilities', 'emea'],
    });
  });

  it('shows a refused save under the field the backend names and keeps what was typed', async () => {
    mockFetch = fakeFetch([
      [
        'POST registry/contracts',
        {
          status: 400,
          data: { error: 'currency: "EURO" is not an ISO 4217 code: use three capitals, e.g. EUR', field: 'currency' },
        },
      ],
    ]);
    renderPage(<ContractForm />);
    await screen.findByTestId(testIds.form.field('name'));
    type('name', 'Umbrella');
    type('counterparty', 'Umbrella Corp');
    type('currency', 'euro');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    expect(await screen.findByText('"EURO" is not an ISO 4217 code: use three capitals, e.g. EUR')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.form.error)).toHaveTextContent('The field “currency” is marked below.');
    expect(field('name')).toHaveValue('Umbrella');
    expect(field('currency')).toHaveValue('euro');
    expect(mockPush).not.toHaveBeenCalled();
  });

  it('names a field that is not a number without calling the backend', async () => {
    mockFetch = fakeFetch([]);
    renderPage(<ContractForm />);
    await screen.findByTestId(testIds.form.field('name'));
    type('name', 'Umbrella');
    type('counterparty', 'Umbrella Corp');
    type('noticeDays', 'ninety');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    expect(await screen.findByText('“ninety” is not a number')).toBeInTheDocument();
    expect(mockFetch).not.toHaveBeenCalled();
  });

  it('edits at the stored version and explains a conflict', async () => {
    mockFetch = fakeFetch([
      ['GET registry/contracts/acme-it', { data: stored }],
      [
        'PUT registry/contracts/acme-it',
        {
          status: 409,
          data: { error: 'contract acme-it is at version 4, not 3: reload it and apply your change again' },
        },
      ],
    ]);
    renderPage(<ContractForm id="acme-it" />);
    expect(await screen.findByDisplayValue('Acme IT')).toBeInTheDocument();
    expect(field('tags')).toHaveValue('demo, it');
    type('name', 'Acme IT services');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    const error = await screen.findByTestId(testIds.form.error);
    expect(error).toHaveTextContent('is at version 4, not 3');
    expect(error).toHaveTextContent('Someone changed or removed it since you opened this page');
    expect(callsTo(mockFetch, 'PUT', 'registry/contracts/acme-it')[0].data).toMatchObject({
      id: 'acme-it',
      version: 3,
      name: 'Acme IT services',
    });
    expect(field('name')).toHaveValue('Acme IT services');
  });

  it('is read only for a user below the write role', async () => {
    mockFetch = fakeFetch([]);
    renderPage(<ContractForm />, { role: 'Viewer' });
    expect(await screen.findByText('Creating and changing contracts needs the Editor role.')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.form.save)).toBeDisabled();
  });

  it('round-trips a stored contract through the draft', () => {
    expect(fromDraft(toDraft(stored), stored)).toMatchObject({ ...stored, owner: undefined, description: undefined });
  });
});
