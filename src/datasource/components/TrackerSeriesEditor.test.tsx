import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { TrackerSeriesEditor, parseTrackers } from './TrackerSeriesEditor';
import type { DataSource } from '../datasource';
import { fakeFetch } from '../../test/backend';
import { pick } from '../../test/select';
import { testIds } from '../../shared/testIds';
import { EXAMPLE_TRACKER, type CovenantQuery } from '../../shared/types';

const mockFetch = fakeFetch([
  ['GET registry/contracts', { data: { items: [{ id: 'acme-it', name: 'Acme IT' }], total: 1 } }],
  [
    'GET registry/trackers',
    {
      data: {
        items: [
          { id: 'daily-availability', name: 'Daily availability' },
          { id: 'weekly-on-time', name: 'Weekly on time' },
        ],
        total: 2,
      },
    },
  ],
]);
jest.mock('@grafana/runtime', () =>
  jest.requireActual('../../test/runtime').mockRuntime({
    fetch: (r: never) => mockFetch(r),
    variables: () => [{ name: 'contract' }, { name: 'tracker' }],
  })
);

function setup(query: Partial<CovenantQuery> = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const q: CovenantQuery = { refId: 'A', queryType: 'trackerSeries', contract: 'acme-it', ...query };
  const ds = { uid: 'covenant' } as DataSource;
  render(<TrackerSeriesEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={ds} />);
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

  it('keeps only the figures picked, for alert rules', async () => {
    const { onChange, onRunQuery } = setup({ fields: ['rag'] });
    await pick(testIds.queryEditor.fields, 'met');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ fields: ['rag', 'met'] }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it("picks a registry contract by name, or the dashboard's $contract", async () => {
    const { onChange } = setup({ contract: undefined });
    await pick(testIds.queryEditor.contract, 'Acme IT');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ contract: 'acme-it' }));
    await pick(testIds.queryEditor.contract, '$contract');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ contract: '$contract' }));
  });

  it('narrows to some trackers, or to $tracker', async () => {
    const { onChange, onRunQuery } = setup({ trackerIds: ['daily-availability'] });
    expect(
      await within(screen.getByTestId(testIds.queryEditor.trackerIds)).findByText('Daily availability')
    ).toBeVisible();
    await pick(testIds.queryEditor.trackerIds, '$tracker');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ trackerIds: ['daily-availability', '$tracker'] })
    );
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('edits the contract key of inline trackers', () => {
    const { onChange } = setup({ trackers: [EXAMPLE_TRACKER] });
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
