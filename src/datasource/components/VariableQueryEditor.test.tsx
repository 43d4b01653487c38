import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { VariableQueryEditor } from './VariableQueryEditor';
import { testIds } from '../../shared/testIds';
import type { CovenantQuery } from '../../shared/types';

function renderEditor(query: CovenantQuery, onChange = jest.fn()) {
  render(<VariableQueryEditor query={query} onChange={onChange} onRunQuery={jest.fn()} datasource={{} as never} />);
  return onChange;
}

describe('VariableQueryEditor', () => {
  it('lists contracts by default and switches to trackers', () => {
    const onChange = renderEditor({ refId: 'A' });
    expect(screen.getByLabelText('Contracts')).toBeChecked();
    expect(screen.queryByTestId(testIds.queryEditor.variableContract)).not.toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Trackers'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'variables', kind: 'trackers' });
  });

  it('narrows trackers to a contract', () => {
    const onChange = renderEditor({ refId: 'A', queryType: 'variables', kind: 'trackers' });
    fireEvent.change(screen.getByTestId(testIds.queryEditor.variableContract), { target: { value: '$contract' } });
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'variables',
      kind: 'trackers',
      contract: '$contract',
    });
  });
});
