/** What the stand-in uPlot recorded of one chart: its options, its data, and the chart itself. */
export interface FakeChart {
  opts: { hooks: Record<string, Array<(u: unknown) => void>>; series: unknown[] };
  data: unknown[];
  u: Record<string, unknown>;
}

/** Every chart the stand-in made; a test empties it before it renders. */
export const fakeCharts: FakeChart[] = [];

/**
 * uplot for jest: jsdom has no canvas, so a stand-in records what the chart asks of it (the drawing
 * itself is checked in Grafana's own UI by tests/e2e/panel.spec.ts). Use it as
 *   jest.mock('uplot', () => jest.requireActual('../test/uplot').mockUplot());
 * and read the charts from fakeCharts.
 */
export function mockUplot() {
  class FakePlot {
    static pxRatio = 1;
    static paths = { stepped: () => () => null };
    static join = jest.requireActual('uplot').join;
    cursor = { idx: null as number | null, left: 0, top: 0 };
    select = { left: 0, width: 0 };
    data: unknown[];
    constructor(opts: never, data: unknown[]) {
      this.data = data;
      fakeCharts.push({ opts, data, u: this as never });
    }
    over = { clientWidth: 100, clientHeight: 50 };
    setCursor = jest.fn();
    setSize() {}
    setSelect() {}
    destroy() {}
    posToVal(px: number) {
      return px * 1000;
    }
    valToPos(v: number) {
      return v / 1000;
    }
  }
  return { __esModule: true, default: FakePlot };
}
