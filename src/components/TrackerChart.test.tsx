import React from 'react';
import { act, render, screen } from '@testing-library/react';
import { dateTime, FieldType, toDataFrame } from '@grafana/data';
import { TrackerChart } from './TrackerChart';
import { testIds } from '../shared/testIds';
import { fakeCharts as mockCharts } from '../test/uplot';

jest.mock('uplot', () => jest.requireActual('../test/uplot').mockUplot());

const l = { contract: 'acme-it', tracker: 'Uptime', trackerId: 'uptime' };
const frame = toDataFrame({
  name: 'Uptime',
  meta: { custom: { direction: 'higher_is_better' } },
  fields: [
    { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
    { name: 'actual', type: FieldType.number, values: [99.5, 99.95, 99.99], labels: l, config: { unit: 'percent' } },
    { name: 'target', type: FieldType.number, values: [99.9, 99.9, 99.9], labels: l },
    { name: 'rag', type: FieldType.number, values: [2, 0, 0], labels: l },
  ],
});
const range = { from: dateTime(0), to: dateTime(5000), raw: { from: 'now-90d', to: 'now' } };

type Opts = { width: number; height: number; scales: { x: { range: () => number[] } } };

describe('TrackerChart', () => {
  beforeEach(() => {
    mockCharts.length = 0;
    // jsdom lays nothing out: the container is 500 px wide.
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(500);
  });
  afterEach(() => jest.restoreAllMocks());

  it("draws the panel's chart on a page: its width, the page's range, a tooltip, a drag to zoom", () => {
    const onZoom = jest.fn();
    render(<TrackerChart frames={[frame]} range={range} height={200} onZoom={onZoom} />);
    expect(screen.getByTestId(testIds.panel.root)).toBeInTheDocument();
    expect(mockCharts).toHaveLength(1);
    const c = mockCharts[0];
    const opts = c.opts as unknown as Opts;
    expect(opts.width).toBe(500);
    expect(opts.scales.x.range()).toEqual([0, 5000]);

    // No dashboard, no crosshair: a hover only shows the tooltip.
    act(() => {
      screen.getByTestId(testIds.panel.chart('overlay')).dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    });
    Object.assign(c.u.cursor as object, { idx: 0, left: 10, top: 10 });
    act(() => c.opts.hooks.setCursor[0](c.u));
    expect(screen.getByTestId(testIds.panel.tooltip)).toHaveTextContent('Actual99.50%');

    Object.assign(c.u.select as object, { left: 1, width: 3 });
    act(() => c.opts.hooks.setSelect[0](c.u));
    expect(onZoom).toHaveBeenCalledWith({ from: 1000, to: 4000 });
  });

  it('shades a tracker on a calendar as the panel does, with a caption saying what the shading is', () => {
    const onCalendar = toDataFrame({
      ...frame,
      meta: {
        custom: {
          direction: 'higher_is_better',
          calendar: {
            id: 'uk-office',
            name: 'UK office',
            from: 1000,
            to: 4000,
            offHoursComplete: true,
            offHours: [[1500, 2500]],
            exclusions: [
              { from: 1600, to: 1700, reason: 'customer_caused' },
              { from: 3000, to: 3100, reason: 'maintenance', note: 'CHG-1' },
            ],
          },
        },
      },
    });
    render(<TrackerChart frames={[onCalendar]} range={range} height={200} />);
    expect(screen.getByTestId(testIds.panel.chart('overlay'))).toHaveAttribute('data-shaded-exclusions', '2');
    expect(screen.getByTestId(testIds.panel.shadingCaption)).toHaveTextContent(
      'Shaded: outside working hours (UK office)Hatched: excluded (Maintenance, Customer caused)'
    );
    // The caption comes below the chart, which keeps its height (less the header's 26 px).
    expect((mockCharts[0].opts as unknown as Opts).height).toBe(200 - 26);
  });

  it('has no caption when nothing is shaded', () => {
    render(<TrackerChart frames={[frame]} range={range} height={200} />);
    expect(screen.queryByTestId(testIds.panel.shadingCaption)).not.toBeInTheDocument();
    expect((mockCharts[0].opts as unknown as Opts).height).toBe(200 - 26);
  });

  it('lets a drag do nothing where the page does not zoom', () => {
    render(<TrackerChart frames={[frame]} range={range} height={200} />);
    const c = mockCharts[0];
    Object.assign(c.u.select as object, { left: 1, width: 3 });
    expect(() => act(() => c.opts.hooks.setSelect[0](c.u))).not.toThrow();
  });
});
