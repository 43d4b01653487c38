/** Plugin ids, as in the plugin.json files. */
export const APP_ID = 'covenant-contracts-app';
export const DATASOURCE_TYPE = 'covenant-kpi-datasource';
export const PANEL_ID = 'covenant-kpitrend-panel';
