import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { HELP_EXAMPLES, QueryHelp } from './QueryHelp';
import { testIds } from '../../shared/testIds';
import { QUERY_TYPES } from '../../shared/types';

describe('QueryHelp', () => {
  it('has an example of every query type the editor offers', () => {
    const types = new Set(HELP_EXAMPLES.map((e) => e.query.queryType));
    expect(QUERY_TYPES.filter((t) => !types.has(t))).toEqual([]);
  });

  it("starts the query from an example, keeping the query's refId", () => {
    const onClickExample = jest.fn();
    render(<QueryHelp datasource={{} as never} query={{ refId: 'B' }} onClickExample={onClickExample} />);
    const help = screen.getByTestId(testIds.queryEditor.help);
    expect(within(help).getByText('$__timeFilter(column)')).toBeInTheDocument();
    const buttons = within(help).getAllByRole('button', { name: 'Use this example' });
    fireEvent.click(buttons[1]);
    expect(onClickExample).toHaveBeenCalledWith({
      refId: 'B',
      queryType: 'trackerSeries',
      contract: '$contract',
      fields: ['rag'],
    });
  });
});
