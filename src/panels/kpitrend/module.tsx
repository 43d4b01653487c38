import { t } from '@grafana/i18n';
import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { KpiTrendPanel } from './KpiTrendPanel';
import { defaultOptions, type KpiTrendOptions } from './types';

export const plugin = new PanelPlugin<KpiTrendOptions>(KpiTrendPanel)
  // The dashboard's annotations come in data.annotations only when the panel asks for them.
  .setDataSupport({ annotations: true })
  .useFieldConfig({
    // Unit and decimals apply to actual, target and variance; RAG colours come from the palette below.
    disableStandardOptions: [
      FieldConfigProperty.Color,
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
    ],
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Several trackers',
        description: 'One chart per tracker with a shared cursor, or all on one chart',
        defaultValue: defaultOptions.layout,
        settings: {
          options: [
            { value: 'multiples', label: t('panels.plugin.label.small-multiples', 'Small multiples') },
            { value: 'overlay', label: t('panels.plugin.label.overlaid', 'Overlaid') },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'showBand',
        name: 'Variance band',
        description: 'Shade between actual and target: green where favourable, red where not',
        defaultValue: defaultOptions.showBand,
      })
      .addBooleanSwitch({
        path: 'showRagStrip',
        name: 'RAG strip',
        description: 'A strip of RAG colours under the chart, one cell per bucket',
        defaultValue: defaultOptions.showRagStrip,
      })
      .addBooleanSwitch({
        path: 'showPoints',
        name: 'RAG points',
        description: 'A RAG-coloured dot per bucket, when there is room for them',
        defaultValue: defaultOptions.showPoints,
      })
      .addBooleanSwitch({
        path: 'showLegend',
        name: 'Header',
        description: t(
          'panels.plugin.description.current-value-target-variance-trend-above',
          'Current value, target, variance, RAG and trend above each chart'
        ),
        defaultValue: defaultOptions.showLegend,
      })
      .addRadio({
        path: 'ragPalette',
        name: 'RAG colours',
        defaultValue: defaultOptions.ragPalette,
        settings: {
          options: [
            { value: 'standard', label: t('panels.plugin.label.green-amber-red', 'Green, amber, red') },
            {
              value: 'colorblind',
              label: t('panels.plugin.label.colourblind-safe', 'Colour-blind safe'),
              description: t(
                'panels.plugin.description.blue-orange-vermillion-okabe-ito',
                'Blue, orange, vermillion (Okabe–Ito)'
              ),
            },
          ],
        },
      })
      .addNumberInput({
        path: 'fixedTarget',
        name: 'Fixed target',
        category: ['Series without Covenant targets'],
        description: 'For queries other than Covenant trackers: the target to draw and compare with',
      })
      .addRadio({
        path: 'direction',
        name: 'Direction',
        category: ['Series without Covenant targets'],
        defaultValue: defaultOptions.direction,
        settings: {
          options: [
            { value: 'higher_is_better', label: t('panels.plugin.label.higher-is-better', 'Higher is better') },
            { value: 'lower_is_better', label: t('panels.plugin.label.lower-is-better', 'Lower is better') },
          ],
        },
      })
      .addNumberInput({
        path: 'tolerance',
        name: 'Amber tolerance',
        category: ['Series without Covenant targets'],
        description: 'A miss within this distance of the target is amber (same unit as the values)',
        defaultValue: defaultOptions.tolerance,
      })
  );
