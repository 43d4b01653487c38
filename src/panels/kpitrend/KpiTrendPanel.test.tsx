import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import {
  DashboardCursorSync,
  DataHoverClearEvent,
  DataHoverEvent,
  dateTime,
  EventBusSrv,
  FieldType,
  LoadingState,
  toDataFrame,
  type BusEvent,
  type PanelProps,
} from '@grafana/data';
import { PanelContextProvider } from '@grafana/ui';
import { KpiTrendPanel } from './KpiTrendPanel';
import { testIds } from '../../shared/testIds';
import { defaultOptions, type KpiTrendOptions } from './types';
import { fakeCharts as mockCharts } from '../../test/uplot';

jest.mock('uplot', () => jest.requireActual('../../test/uplot').mockUplot());

const labels = (id: string, name: string) => ({
  contract: 'acme-it',
  tracker: name,
  trackerId: id,
  kpi: 'Availability',
});

function tracker(id: string, name: string, actual: Array<number | null>, rag: Array<number | null>) {
  const l = labels(id, name);
  return toDataFrame({
    name,
    meta: { custom: { direction: 'higher_is_better', trend: { direction: 'improving' } } },
    fields: [
      { name: 'time', type: FieldType.time, values: actual.map((_, i) => (i + 1) * 1000) },
      { name: 'actual', type: FieldType.number, values: actual, labels: l, config: { unit: 'percent' } },
      { name: 'target', type: FieldType.number, values: actual.map(() => 99.9), labels: l },
      {
        name: 'variance',
        type: FieldType.number,
        values: actual.map((a) => (a === null ? null : a - 99.9)),
        labels: l,
      },
      {
        name: 'variance_pct',
        type: FieldType.number,
        values: actual.map((a) => (a === null ? null : ((a - 99.9) / 99.9) * 100)),
        labels: l,
      },
      { name: 'rag', type: FieldType.number, values: rag, labels: l },
      { name: 'consecutive_misses', type: FieldType.number, values: rag.map((r) => (r === 2 ? 1 : 0)), labels: l },
    ],
  });
}

function props(
  frames: Array<ReturnType<typeof toDataFrame>>,
  options: Partial<KpiTrendOptions> = {},
  onChangeTimeRange = jest.fn()
) {
  const timeRange = { from: dateTime(0), to: dateTime(5000), raw: { from: 'now-1h', to: 'now' } };
  return {
    data: { series: frames, state: LoadingState.Done, timeRange },
    timeRange,
    timeZone: 'utc',
    width: 600,
    height: 400,
    options: { ...defaultOptions, ...options },
    onChangeTimeRange,
  } as unknown as PanelProps<KpiTrendOptions>;
}

/** Moves the mouse into a chart (by its key) and its cursor onto bucket idx at (left, top): what uPlot reports. */
function hoverBucket(key: string, idx: number, left: number, top: number, chartIndex = 0) {
  act(() => {
    screen.getByTestId(testIds.panel.chart(key)).dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
  });
  const c = mockCharts[chartIndex];
  Object.assign(c.u.cursor as object, { idx, left, top });
  act(() => c.opts.hooks.setCursor[0](c.u));
  return c;
}

/**
 * The uptime tracker on a calendar, as the backend sends it: buckets at 1000, 2000 and 3000 (the
 * last ending at 4000), the second without working time, off hours at 1000–1500 and 2000–3000
 * (with the maintenance window 2200–2600 in them), and one before the panel's range.
 */
function onCalendar() {
  const frame = tracker('uptime', 'Daily availability', [99.95, null, 99.99], [0, null, 0]);
  frame.fields.push({
    name: 'working',
    type: FieldType.number,
    values: [36000, 0, 27000],
    labels: labels('uptime', 'Daily availability'),
    config: { unit: 's' },
  });
  frame.meta!.custom!.calendar = {
    id: 'weekdays',
    name: 'Weekdays',
    from: 1000,
    to: 4000,
    offHoursComplete: true,
    offHours: [
      [-2000, -1000],
      [1000, 1500],
      [2000, 3000],
    ],
    exclusions: [{ from: 2200, to: 2600, reason: 'maintenance', note: 'Core switch upgrade' }],
  };
  return frame;
}

/** What a canvas was asked to draw: fills (with their style and rectangles) and strokes. */
function fakeCanvas() {
  const drawn: Array<{ op: string; style: string; rects: number[][] }> = [];
  class FakePath {
    rects: number[][] = [];
    rect(x: number, y: number, w: number, h: number) {
      this.rects.push([x, y, w, h]);
    }
    moveTo() {}
    lineTo() {}
    closePath() {}
  }
  (globalThis as { Path2D?: unknown }).Path2D = FakePath;
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    save() {},
    restore() {},
    clip() {},
    fill(p: FakePath) {
      drawn.push({ op: 'fill', style: this.fillStyle, rects: p.rects });
    },
    stroke() {
      drawn.push({ op: 'stroke', style: this.strokeStyle, rects: [] });
    },
  };
  return { ctx, drawn };
}

describe('KpiTrendPanel', () => {
  beforeEach(() => {
    mockCharts.length = 0;
  });

  it('draws one chart per tracker with its current figures, RAG and trend', () => {
    render(
      <KpiTrendPanel
        {...props([
          tracker('uptime', 'Daily availability', [99.95, 99.5, 99.99], [0, 2, 0]),
          tracker('invoices', 'Invoice accuracy', [97, 98.5], [2, 0]),
        ])}
      />
    );
    expect(mockCharts).toHaveLength(2);
    const header = screen.getByTestId(testIds.panel.header('uptime'));
    expect(header).toHaveTextContent('Daily availability');
    expect(header).toHaveTextContent('99.99%');
    expect(header).toHaveTextContent('target 99.90%');
    expect(header).toHaveTextContent('Δ +0.09% (+0.09%)');
    expect(header).toHaveTextContent('▲ improving');
    expect(screen.getByTestId(testIds.panel.rag('uptime'))).toHaveTextContent('Green');
    // Lines: actual and a stepped, dashed target; the charts share one cursor.
    const opts = mockCharts[0].opts as unknown as {
      series: Array<{ dash?: number[] }>;
      cursor: { sync: { key: string } };
    };
    expect(opts.series[2].dash).toEqual([6, 4]);
    expect((mockCharts[1].opts as unknown as { cursor: { sync: { key: string } } }).cursor.sync.key).toBe(
      opts.cursor.sync.key
    );
  });

  it('keeps its charts while the cursor moves (a hover re-renders the panel, not the charts)', () => {
    render(<KpiTrendPanel {...props([tracker('a', 'A', [1, 2], [0, 0]), tracker('b', 'B', [3, 4], [0, 0])])} />);
    hoverBucket('a', 1, 10, 10);
    expect(screen.getByTestId(testIds.panel.tooltip)).toBeInTheDocument();
    expect(mockCharts).toHaveLength(2);
  });

  it('overlays every tracker on one chart when asked', () => {
    render(
      <KpiTrendPanel
        {...props([tracker('a', 'A', [1, 2], [0, 0]), tracker('b', 'B', [3, 4], [0, 0])], { layout: 'overlay' })}
      />
    );
    expect(mockCharts).toHaveLength(1);
    expect(mockCharts[0].data).toHaveLength(5);
    expect(screen.getByTestId(testIds.panel.header('a'))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.panel.header('b'))).toBeInTheDocument();
  });

  it('shows every figure of the hovered bucket in a tooltip', () => {
    render(<KpiTrendPanel {...props([tracker('uptime', 'Daily availability', [99.95, 99.5, 99.99], [0, 2, 0])])} />);
    hoverBucket('overlay', 1, 100, 20);
    const tip = screen.getByTestId(testIds.panel.tooltip);
    expect(tip).toHaveTextContent('Actual99.50%');
    expect(tip).toHaveTextContent('Target99.90%');
    expect(tip).toHaveTextContent('Variance-0.40% (-0.40%)');
    expect(tip).toHaveTextContent('RAGRed');
    expect(tip).toHaveTextContent('Misses in a row1');
  });

  it('walks the buckets with the keyboard: the tooltip follows, Escape closes it', () => {
    render(<KpiTrendPanel {...props([tracker('uptime', 'Daily availability', [99.95, 99.5, 99.99], [0, 2, null])])} />);
    const chart = screen.getByRole('group', { name: /Daily availability: actual against target per bucket/ });
    chart.focus();
    expect(screen.queryByTestId(testIds.panel.tooltip)).not.toBeInTheDocument();
    // The first arrow starts at the last judged bucket (the third is not judged): the red one.
    fireEvent.keyDown(chart, { key: 'ArrowLeft' });
    expect(screen.getByTestId(testIds.panel.tooltip)).toHaveTextContent('RAGRed');
    expect(mockCharts[0].u.setCursor).toHaveBeenLastCalledWith({ left: 2, top: 25 });
    fireEvent.keyDown(chart, { key: 'ArrowLeft' });
    expect(screen.getByTestId(testIds.panel.tooltip)).toHaveTextContent('Actual99.95%');
    fireEvent.keyDown(chart, { key: 'End' });
    expect(screen.getByTestId(testIds.panel.tooltip)).toHaveTextContent('RAGnot evaluated');
    fireEvent.keyDown(chart, { key: 'Escape' });
    expect(screen.queryByTestId(testIds.panel.tooltip)).not.toBeInTheDocument();
  });

  it('shows the figures as a table, newest first, and back', () => {
    render(<KpiTrendPanel {...props([tracker('uptime', 'Daily availability', [99.95, 99.5, 99.99], [0, 2, 0])])} />);
    fireEvent.click(screen.getByTestId(testIds.panel.tableToggle('overlay')));
    const table = screen.getByTestId(testIds.panel.table);
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4); // the header and three buckets
    expect(rows[1]).toHaveTextContent('99.99%');
    expect(rows[2]).toHaveTextContent('99.50%99.90%-0.40% (-0.40%)Red');
    fireEvent.click(screen.getByTestId(testIds.panel.tableToggle('overlay')));
    expect(screen.queryByTestId(testIds.panel.table)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.panel.chart('overlay'))).toBeInTheDocument();
  });

  it("offers the series' data links in the tooltip, pinned by a click so they can be followed", () => {
    const frame = tracker('uptime', 'Daily availability', [99.95, 99.5], [0, 2]);
    frame.fields[1].config.links = [
      {
        title: 'Open contract ${__field.labels.contract}',
        url: '/a/covenant-contracts-app/contracts/${__field.labels.contract}',
      },
    ];
    render(<KpiTrendPanel {...props([frame])} />);
    const chart = screen.getByTestId(testIds.panel.chart('overlay'));
    const c = hoverBucket('overlay', 1, 100, 20);
    const link = within(screen.getByTestId(testIds.panel.tooltip)).getByRole('link', { name: 'Open contract acme-it' });
    expect(link).toHaveAttribute('href', '/a/covenant-contracts-app/contracts/acme-it');
    expect(link).toHaveAttribute('tabindex', '-1');
    fireEvent.mouseDown(chart, { clientX: 50 });
    fireEvent.click(chart, { clientX: 51 });
    // Pinned: the mouse moving elsewhere does not move it, and its link takes the focus.
    Object.assign(c.u.cursor as object, { idx: 0, left: 10, top: 20 });
    act(() => c.opts.hooks.setCursor[0](c.u));
    expect(screen.getByTestId(testIds.panel.tooltip)).toHaveTextContent('Actual99.50%');
    expect(screen.getByRole('link', { name: 'Open contract acme-it' })).toHaveAttribute('tabindex', '0');
    fireEvent.click(screen.getByRole('button', { name: 'Close the tooltip' }));
    expect(screen.queryByTestId(testIds.panel.tooltip)).not.toBeInTheDocument();
  });

  it("draws the dashboard's annotations and names those in the hovered bucket", () => {
    const annotations = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [2000, 2500, 9000] },
        { name: 'timeEnd', type: FieldType.time, values: [null, 3000, null] },
        { name: 'title', type: FieldType.string, values: ['Closed: Service levels', '', 'Far away'] },
        { name: 'text', type: FieldType.string, values: ['', 'Restated\nmore', ''] },
        { name: 'color', type: FieldType.string, values: ['#8f3bb8', null, null] },
      ],
    });
    const p = props([tracker('uptime', 'Daily availability', [99.95, 99.5, 99.99], [0, 2, 0])]);
    render(<KpiTrendPanel {...p} data={{ ...p.data, annotations: [annotations] }} />);
    // The chart draws them: its draw hooks include the annotations' (two: the overlays, then them).
    expect(mockCharts[0].opts.hooks.draw).toHaveLength(2);
    hoverBucket('overlay', 1, 100, 20);
    // The bucket starting at 2000 runs to 3000: the close and the restatement are in it, not the third.
    const events = within(screen.getByTestId(testIds.panel.tooltip)).getByRole('list', {
      name: 'Events in this bucket',
    });
    expect(
      within(events)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(['Closed: Service levels', 'Restated']);
  });

  it("shades a calendar's off hours and exclusions behind the series, and says so on the chart", () => {
    render(<KpiTrendPanel {...props([onCalendar()])} />);
    const chart = screen.getByTestId(testIds.panel.chart('overlay'));
    // Within the range 0–5000: two stretches off hours (not the one before it), one exclusion.
    expect(chart).toHaveAttribute('data-shaded-off-hours', '2');
    expect(chart).toHaveAttribute('data-shaded-exclusions', '1');

    // Drawn first (under the band): the off hours as one wash, then the exclusion tinted and hatched.
    const c = mockCharts[0];
    expect(c.opts.hooks.drawAxes).toHaveLength(2);
    const { ctx, drawn } = fakeCanvas();
    Object.assign(c.u, { ctx, bbox: { left: 0, top: 0, width: 5, height: 40 } });
    c.opts.hooks.drawAxes[0](c.u);
    // The fake plot puts 1000 ms at 1 px; the exclusion is widened to 2 px to stay visible.
    expect(drawn).toEqual([
      { op: 'fill', style: expect.stringMatching(/^rgba\(.*0\.0\d\)$/), rects: [[1, 0, 0.5, 40], [2, 0, 1, 40]] },
      { op: 'fill', style: expect.stringContaining('rgba('), rects: [[2.2, 0, 2, 40]] },
      { op: 'stroke', style: expect.stringContaining('rgba('), rects: [] },
    ]);
  });

  it('says in the tooltip what the shading under the mouse is: the exclusion with its note, or off hours', () => {
    render(<KpiTrendPanel {...props([onCalendar()])} />);
    // The second bucket (2000–3000), the mouse at 2400: in the maintenance window.
    hoverBucket('overlay', 1, 2.4, 20);
    let tip = screen.getByTestId(testIds.panel.tooltip);
    expect(tip).toHaveTextContent('Working time0 h');
    expect(tip).toHaveTextContent('RAGnot evaluated');
    const exclusion = within(tip).getByTestId(testIds.panel.tooltipExclusion);
    expect(exclusion).toHaveTextContent('Excluded: Maintenance — Core switch upgrade');
    expect(exclusion).toHaveTextContent('1970-01-01 00:00–00:00');
    expect(tip).not.toHaveTextContent('Outside');
    // The first bucket, the mouse at 1200: off hours, no exclusion.
    hoverBucket('overlay', 0, 1.2, 20);
    tip = screen.getByTestId(testIds.panel.tooltip);
    expect(tip).toHaveTextContent('Working time10 h');
    expect(tip).toHaveTextContent('Outside the working hours of Weekdays');
    expect(within(tip).queryByTestId(testIds.panel.tooltipExclusion)).not.toBeInTheDocument();
    // The first bucket, the mouse at 1800: working hours.
    hoverBucket('overlay', 0, 1.8, 20);
    expect(screen.getByTestId(testIds.panel.tooltip)).not.toHaveTextContent('Outside');
  });

  it('shades nothing when the option is off', () => {
    render(<KpiTrendPanel {...props([onCalendar()], { showShading: false })} />);
    const chart = screen.getByTestId(testIds.panel.chart('overlay'));
    expect(chart).not.toHaveAttribute('data-shaded-off-hours');
    const { ctx, drawn } = fakeCanvas();
    const c = mockCharts[0];
    Object.assign(c.u, { ctx, bbox: { left: 0, top: 0, width: 5, height: 40 } });
    c.opts.hooks.drawAxes[0](c.u);
    expect(drawn).toEqual([]);
    // Nor is there a caption in a panel: its tooltip explains the shading.
    expect(screen.queryByTestId(testIds.panel.shadingCaption)).not.toBeInTheDocument();
  });

  it('zooms the dashboard to a dragged range', () => {
    const onChange = jest.fn();
    render(
      <KpiTrendPanel {...props([tracker('uptime', 'Daily availability', [99.95, 99.5], [0, 2])], {}, onChange)} />
    );
    const c = mockCharts[0];
    Object.assign(c.u.select as object, { left: 1, width: 3 });
    act(() => c.opts.hooks.setSelect[0](c.u));
    expect(onChange).toHaveBeenCalledWith({ from: 1000, to: 4000 });
  });

  it('says what is missing when there is nothing it can draw', () => {
    const plain = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'v', type: FieldType.number, values: [1] },
      ],
    });
    render(<KpiTrendPanel {...props([plain])} />);
    expect(screen.getByTestId(testIds.panel.empty)).toHaveTextContent('These series have no target');
    expect(mockCharts).toHaveLength(0);
  });

  describe("the dashboard's shared crosshair", () => {
    function sharedDashboard(sync: DashboardCursorSync) {
      const dashboard = new EventBusSrv();
      const panelBus = dashboard.newScopedBus('covenant-panel', { onlyLocal: false });
      const other = dashboard.newScopedBus('other-panel', { onlyLocal: false });
      const seen: BusEvent[] = [];
      dashboard.subscribe(DataHoverEvent, (e) => seen.push(e));
      dashboard.subscribe(DataHoverClearEvent, (e) => seen.push(e));
      render(
        <PanelContextProvider value={{ eventsScope: 'global', eventBus: panelBus, sync: () => sync }}>
          <KpiTrendPanel
            {...props([tracker('a', 'A', [1, 2, 3], [0, 0, 0]), tracker('b', 'B', [3, 4, 5], [0, 0, 0])])}
            eventBus={panelBus}
          />
        </PanelContextProvider>
      );
      return { other, seen };
    }

    it('publishes the time under the mouse, and a clear when it leaves', () => {
      const { seen } = sharedDashboard(DashboardCursorSync.Crosshair);
      const chart = screen.getByTestId(testIds.panel.chart('a'));
      hoverBucket('a', 1, 2.5, 10);
      expect(seen).toHaveLength(1);
      expect((seen[0] as DataHoverEvent).payload.point.time).toBe(2500);
      act(() => {
        chart.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.body }));
      });
      expect(seen[seen.length - 1]).toBeInstanceOf(DataHoverClearEvent);
    });

    it("moves every chart's cursor to another panel's hover, and hides it on clear", () => {
      const { other } = sharedDashboard(DashboardCursorSync.Crosshair);
      act(() => other.publish(new DataHoverEvent({ point: { time: 3000 } })));
      for (const c of mockCharts) {
        expect(c.u.setCursor).toHaveBeenLastCalledWith({ left: 3, top: 25 });
      }
      act(() => other.publish(new DataHoverClearEvent()));
      for (const c of mockCharts) {
        expect(c.u.setCursor).toHaveBeenLastCalledWith({ left: -10, top: -10 });
      }
    });

    it('publishes nothing when the dashboard does not share the cursor', () => {
      const { seen } = sharedDashboard(DashboardCursorSync.Off);
      hoverBucket('a', 1, 2.5, 10);
      expect(seen).toHaveLength(0);
    });
  });
});
