import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { QueryHelp } from './components/QueryHelp';
import { loadTranslations, withTranslations } from '../shared/i18n';
import { eagerCatalogues } from '../shared/eagerCatalogues';
import type { CovenantOptions, CovenantQuery } from '../shared/types';

// Fetch the user's catalogue as soon as Grafana loads the datasource, before an editor opens.
loadTranslations(eagerCatalogues);

export const plugin = new DataSourcePlugin<DataSource, CovenantQuery, CovenantOptions>(DataSource)
  .setConfigEditor(withTranslations(ConfigEditor))
  .setQueryEditor(withTranslations(QueryEditor))
  .setQueryEditorHelp(withTranslations(QueryHelp));
