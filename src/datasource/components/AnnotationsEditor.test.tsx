import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { QueryEditor } from './QueryEditor';
import { AnnotationQueryEditor } from './AnnotationsEditor';
import type { DataSource } from '../datasource';
import { fakeFetch } from '../../test/backend';
import { pick } from '../../test/select';
import { testIds } from '../../shared/testIds';
import type { CovenantQuery } from '../../shared/types';

const mockFetch = fakeFetch([
  ['GET registry/contracts', { data: { items: [{ id: 'globex-logistics', name: 'Globex freight' }], total: 1 } }],
]);
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({ fetch: (r: never) => mockFetch(r), variables: () => [] })
);

const ds = { uid: 'covenant' } as unknown as DataSource;
const ids = testIds.queryEditor;

function setup(query: Partial<CovenantQuery>, Editor = QueryEditor) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(<Editor query={{ refId: 'A', ...query }} onChange={onChange} onRunQuery={onRunQuery} datasource={ds} />);
  return { onChange, onRunQuery };
}

const checkbox = (kind: string) => screen.getByTestId(ids.annotationKind(kind)) as HTMLInputElement;

describe('QueryEditor (annotations)', () => {
  it('offers the contract and every kind of event, all ticked when none is picked', () => {
    setup({ queryType: 'annotations', contract: '$contract' });
    expect(screen.getByTestId(ids.contract)).toHaveTextContent('$contract');
    for (const kind of ['closes', 'restatements', 'milestones', 'rag', 'renewal', 'disputes']) {
      expect(checkbox(kind).checked).toBe(true);
    }
    // The registry editor's agreement field is not offered.
    expect(screen.queryByTestId(ids.agreement)).toBeNull();
  });

  it('narrows the kinds and runs the query', () => {
    const { onChange, onRunQuery } = setup({ queryType: 'annotations', contract: 'acme-it' });
    fireEvent.click(checkbox('rag'));
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ kinds: ['closes', 'restatements', 'milestones', 'renewal', 'disputes'] })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('goes back to every kind (no kinds) when the last one left out is ticked again', () => {
    const { onChange } = setup({
      queryType: 'annotations',
      contract: 'acme-it',
      kinds: ['closes', 'restatements', 'milestones', 'rag', 'disputes'],
    });
    fireEvent.click(checkbox('renewal'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ kinds: undefined }));
  });

  it('keeps the one kind left ticked', () => {
    setup({ queryType: 'annotations', contract: 'acme-it', kinds: ['renewal'] });
    expect(checkbox('renewal')).toBeDisabled();
    expect(checkbox('closes')).not.toBeDisabled();
  });
});

describe('AnnotationQueryEditor', () => {
  it('always edits an annotations query, for $contract unless said', async () => {
    const { onChange } = setup({ refId: 'Anno' }, AnnotationQueryEditor);
    expect(screen.queryByTestId(ids.queryType)).toBeNull();
    expect(screen.getByTestId(ids.contract)).toHaveTextContent('$contract');
    await pick(ids.contract, 'Globex freight');
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'Anno',
      queryType: 'annotations',
      contract: 'globex-logistics',
    });
  });
});
