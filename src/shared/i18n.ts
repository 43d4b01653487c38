import { t } from '@grafana/i18n';
import type { Role } from './types';

/**
 * Options for t() whose values are data (names, messages, formatted figures): i18next escapes
 * interpolated values for HTML by default, but React escapes text itself, so "R&D" would show as
 * "R&amp;D". E.g. t('key', 'Results for {{term}}', { term, ...unescaped }).
 */
export const unescaped = { interpolation: { escapeValue: false } } as const;

/** A Grafana org role as the user reads it ("Editor"); the role itself stays the value sent and stored. */
export function roleName(role: Role): string {
  switch (role) {
    case 'Viewer':
      return t('shared.role.viewer', 'Viewer');
    case 'Editor':
      return t('shared.role.editor', 'Editor');
    case 'Admin':
      return t('shared.role.admin', 'Admin');
  }
  return role;
}
