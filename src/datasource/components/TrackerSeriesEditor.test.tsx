import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { TrackerSeriesEditor, parseTrackers } from './TrackerSeriesEditor';
import type { DataSource } from '../datasource';
import { testIds } from '../../shared/testIds';
import { EXAMPLE_TRACKER, type CovenantQuery } from '../../shared/types';

function setup(query: Partial<CovenantQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const q: CovenantQuery = { refId: 'A', queryType: 'trackerSeries', contract: 'acme-it', ...query };
  render(<TrackerSeriesEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={{} as DataSource} />);
  return { onChange, onRunQuery };
}

describe('TrackerSeriesEditor', () => {
  it('starts with the registry: a contract alone', () => {
    setup();
    expect(screen.getByLabelText('Registry')).toBeChecked();
    expect(screen.queryByTestId(testIds.queryEditor.trackers)).not.toBeInTheDocument();
  });

  it('switches to inline trackers with an example, and back to the registry', () => {
    const { onChange, onRunQuery } = setup();
    fireEvent.click(screen.getByLabelText('Inline'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ trackers: [EXAMPLE_TRACKER] }));
    expect((screen.getByTestId(testIds.queryEditor.trackers) as HTMLTextAreaElement).value).toContain(
      '"method": "avg"'
    );
    fireEvent.click(screen.getByLabelText('Registry'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ trackers: undefined }));
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('applies inline trackers on blur', () => {
    const { onChange, onRunQuery } = setup({ trackers: [EXAMPLE_TRACKER] });
    fireEvent.blur(screen.getByTestId(testIds.queryEditor.trackers));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ trackers: [EXAMPLE_TRACKER] }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('shows a JSON error inline, keeps the text and does not run', () => {
    const { onChange, onRunQuery } = setup({ trackers: [EXAMPLE_TRACKER] });
    const area = screen.getByTestId(testIds.queryEditor.trackers);
    fireEvent.change(area, { target: { value: '[{"name": ' } });
    fireEvent.blur(area);
    expect(screen.getByTestId(testIds.queryEditor.trackersError)).toHaveTextContent('Not valid JSON');
    expect((area as HTMLTextAreaElement).value).toBe('[{"name": ');
    expect(onChange).not.toHaveBeenCalled();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('keeps only the figures named, for alert rules', () => {
    const { onChange, onRunQuery } = setup();
    const input = screen.getByTestId(testIds.queryEditor.fields);
    fireEvent.change(input, { target: { value: 'rag, met' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ fields: ['rag', 'met'] }));
    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('edits the contract key', () => {
    const { onChange } = setup();
    fireEvent.change(screen.getByTestId(testIds.queryEditor.contract), { target: { value: '$contract' } });
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ contract: '$contract' }));
  });
});

describe('parseTrackers', () => {
  it('accepts one object or an array', () => {
    expect(parseTrackers('{"name":"a"}').trackers).toHaveLength(1);
    expect(parseTrackers('[{"name":"a"},{"name":"b"}]').trackers).toHaveLength(2);
  });
  it('refuses empty arrays and scalars', () => {
    expect(parseTrackers('[]').error).toBe('Give a tracker object, or an array of them.');
    expect(parseTrackers('[1]').error).toBe('Give a tracker object, or an array of them.');
  });
});
