import { t } from '@grafana/i18n';
import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { KpiTrendPanel } from './KpiTrendPanel';
import { defaultOptions, type KpiTrendOptions } from './types';
import { loadTranslations, withTranslations } from '../../shared/i18n';
import { eagerCatalogues } from '../../shared/eagerCatalogues';

loadTranslations(eagerCatalogues);

export const plugin = new PanelPlugin<KpiTrendOptions>(withTranslations(KpiTrendPanel))
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
  .setPanelOptions((builder) => {
    const withoutTargets = [t('panels.plugin.category.series-without-targets', 'Series without Covenant targets')];
    return builder
      .addRadio({
        path: 'layout',
        name: t('panels.plugin.name.several-trackers', 'Several trackers'),
        description: t(
          'panels.plugin.description.one-chart-per-tracker',
          'One chart per tracker with a shared cursor, or all on one chart'
        ),
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
        name: t('panels.plugin.name.variance-band', 'Variance band'),
        description: t(
          'panels.plugin.description.variance-band',
          'Shade between actual and target: green where favourable, red where not'
        ),
        defaultValue: defaultOptions.showBand,
      })
      .addBooleanSwitch({
        path: 'showShading',
        name: t('panels.plugin.name.calendar-shading', 'Calendar shading'),
        description: t(
          'panels.plugin.description.calendar-shading',
          "For trackers on a service calendar: shade the time outside working hours, and hatch the calendar's exclusions (maintenance, force majeure, customer caused)"
        ),
        defaultValue: defaultOptions.showShading,
      })
      .addBooleanSwitch({
        path: 'showRagStrip',
        name: t('panels.plugin.name.rag-strip', 'RAG strip'),
        description: t(
          'panels.plugin.description.rag-strip',
          'A strip of RAG colours under the chart, one cell per bucket'
        ),
        defaultValue: defaultOptions.showRagStrip,
      })
      .addBooleanSwitch({
        path: 'showPoints',
        name: t('panels.plugin.name.rag-points', 'RAG points'),
        description: t(
          'panels.plugin.description.rag-points',
          'A RAG-coloured dot per bucket, when there is room for them'
        ),
        defaultValue: defaultOptions.showPoints,
      })
      .addBooleanSwitch({
        path: 'showLegend',
        name: t('panels.plugin.name.header', 'Header'),
        description: t(
          'panels.plugin.description.current-value-target-variance-trend-above',
          'Current value, target, variance, RAG and trend above each chart'
        ),
        defaultValue: defaultOptions.showLegend,
      })
      .addRadio({
        path: 'ragPalette',
        name: t('panels.plugin.name.rag-colours', 'RAG colours'),
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
        name: t('panels.plugin.name.fixed-target', 'Fixed target'),
        category: withoutTargets,
        description: t(
          'panels.plugin.description.fixed-target',
          'For queries other than Covenant trackers: the target to draw and compare with'
        ),
      })
      .addRadio({
        path: 'direction',
        name: t('panels.plugin.name.direction', 'Direction'),
        category: withoutTargets,
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
        name: t('panels.plugin.name.amber-tolerance', 'Amber tolerance'),
        category: withoutTargets,
        description: t(
          'panels.plugin.description.amber-tolerance',
          'A miss within this distance of the target is amber (same unit as the values)'
        ),
        defaultValue: defaultOptions.tolerance,
      });
  });
