import type { Catalogues } from './i18n';

/**
 * The catalogues inside the bundle that imports this file (no chunk to fetch): for the datasource and
 * the panel, which Grafana serves from their own folders, away from the app's chunks.
 */
export const eagerCatalogues: Catalogues = {
  'de-DE': () => import(/* webpackMode: "eager" */ '../locales/de-DE/covenant-contracts-app.json'),
};
