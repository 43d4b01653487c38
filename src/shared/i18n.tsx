import React, { useEffect, useState, type ComponentType } from 'react';
import { initPluginTranslations, t } from '@grafana/i18n';
import type { Role } from './types';

/**
 * Covenant's strings live in one i18next namespace shared by the app, the datasource and the panel
 * (three bundles, one catalogue). English is the source: it is written in the code as each t()'s and
 * <Trans>'s default, so English needs no catalogue at run time.
 */
export const I18N_NAMESPACE = 'covenant-contracts-app';

/** The languages with a catalogue in src/locales/, besides the English source. */
export const TRANSLATED_LANGUAGES = ['de-DE'] as const;

type Catalogue = Record<string, unknown>;

/** How a bundle gets each language's catalogue. */
export type Catalogues = Record<(typeof TRANSLATED_LANGUAGES)[number], () => Promise<{ default: Catalogue }>>;

// The app's pages: each language is its own chunk, next to the app's module.js, fetched only by users
// who read that language. The datasource and the panel are served from folders of their own, where
// this chunk is not: they bundle theirs (eagerCatalogues.ts).
const lazyCatalogues: Catalogues = {
  'de-DE': () => import('../locales/de-DE/covenant-contracts-app.json'),
};

/**
 * The catalogue for Grafana's resolved language: the user's preference, else the organisation's,
 * else the browser's. A language Covenant has no catalogue for reads English.
 */
export async function loadCatalogue(language: string, catalogues: Catalogues = lazyCatalogues): Promise<Catalogue> {
  const load = (catalogues as Record<string, (() => Promise<{ default: Catalogue }>) | undefined>)[language];
  return load ? (await load()).default : {};
}

let ready: Promise<unknown> | undefined;
let loaded = false;

/**
 * Registers Covenant's catalogue with Grafana's i18next (shared with the plugin) once per bundle; the
 * bundle's module calls it first, with where its catalogues are. It resolves when t() answers in the
 * user's language; it never rejects: a missing catalogue reads English.
 */
export function loadTranslations(catalogues: Catalogues = lazyCatalogues): Promise<unknown> {
  ready ??= initPluginTranslations(I18N_NAMESPACE, [(language) => loadCatalogue(language, catalogues)])
    .catch((e) => console.error('Covenant: translations not loaded, showing English', e))
    .finally(() => {
      loaded = true;
    });
  return ready;
}

/**
 * Renders `Component` once the translations are registered, so its first render is already in the
 * user's language (no English flash). Used for what Grafana mounts directly: the datasource's editors
 * and the panel.
 */
export function withTranslations<P extends object>(Component: ComponentType<P>): ComponentType<P> {
  function Translated(props: P) {
    const [ready, setReady] = useState(loaded);
    useEffect(() => {
      let live = true;
      if (!ready) {
        loadTranslations().then(() => live && setReady(true));
      }
      return () => {
        live = false;
      };
    }, [ready]);
    return ready ? <Component {...props} /> : null;
  }
  Translated.displayName = `withTranslations(${Component.displayName ?? Component.name})`;
  return Translated;
}

/**
 * Options for t() whose values are data (names, messages, formatted figures): i18next escapes
 * interpolated values for HTML by default, but React escapes text itself, so "R&D" would show as
 * "R&amp;D". Spread it into the values: { term, ...unescaped }.
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
