import { PanelPlugin } from '@grafana/data';
import { KpiTrendPanel } from './KpiTrendPanel';
import { defaultOptions, type KpiTrendOptions } from './types';

export const plugin = new PanelPlugin<KpiTrendOptions>(KpiTrendPanel).setPanelOptions((builder) =>
  builder
    .addBooleanSwitch({
      path: 'showLegend',
      name: 'Legend',
      description: 'Show each series with its latest value',
      defaultValue: defaultOptions.showLegend,
    })
    .addBooleanSwitch({
      path: 'showPoints',
      name: 'Points',
      description: 'Draw a dot at every value',
      defaultValue: defaultOptions.showPoints,
    })
);
