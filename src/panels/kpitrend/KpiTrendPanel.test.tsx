import React from 'react';
import { render, screen } from '@testing-library/react';
import { dateTime, FieldType, LoadingState, toDataFrame, type PanelProps } from '@grafana/data';
import { KpiTrendPanel } from './KpiTrendPanel';
import { testIds } from '../../shared/testIds';
import type { KpiTrendOptions } from './types';

function props(frames: Array<ReturnType<typeof toDataFrame>>, options: Partial<KpiTrendOptions> = {}) {
  const timeRange = { from: dateTime(0), to: dateTime(4000), raw: { from: 'now-1h', to: 'now' } };
  return {
    data: { series: frames, state: LoadingState.Done, timeRange },
    timeRange,
    width: 400,
    height: 200,
    options: { showLegend: true, showPoints: false, ...options },
  } as unknown as PanelProps<KpiTrendOptions>;
}

const frame = toDataFrame({
  fields: [
    { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
    { name: 'uptime', type: FieldType.number, values: [99.5, 98.25, 100], config: { unit: 'percent' } },
    { name: 'target', type: FieldType.number, values: [99, 99, 99] },
  ],
});

describe('KpiTrendPanel', () => {
  it('draws one line per numeric series with its latest value in the legend', () => {
    render(<KpiTrendPanel {...props([frame])} />);
    const uptime = screen.getByTestId(testIds.panel.series('uptime'));
    const path = uptime.querySelector('path')!;
    expect(path.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    expect(screen.getByTestId(testIds.panel.series('target'))).toBeInTheDocument();
    expect(screen.getByText('uptime: 100%')).toBeInTheDocument();
  });

  it('draws points when asked', () => {
    render(<KpiTrendPanel {...props([frame], { showPoints: true })} />);
    expect(screen.getByTestId(testIds.panel.series('uptime')).querySelectorAll('circle')).toHaveLength(3);
  });

  it('says what is missing when there is nothing to draw', () => {
    const table = toDataFrame({ fields: [{ name: 'name', type: FieldType.string, values: ['a'] }] });
    render(<KpiTrendPanel {...props([table])} />);
    expect(screen.getByTestId(testIds.panel.empty)).toHaveTextContent(
      'must return a time field and at least one number field'
    );
  });
});
