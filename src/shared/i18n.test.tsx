import React from 'react';
import { render, screen } from '@testing-library/react';
import i18next from 'i18next';
import { Trans, t } from '@grafana/i18n';
import english from '../locales/en-US/covenant-contracts-app.json';
import german from '../locales/de-DE/covenant-contracts-app.json';
import { I18N_NAMESPACE, loadCatalogue, loadTranslations, withTranslations } from './i18n';

type Tree = { [key: string]: string | Tree };

/** Every key of a nested catalogue with its text, e.g. ["pages.contracts.title", "Contracts"]. */
function flatten(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`)
  );
}

// `{{name}}`, or `{{- name}}` for a value i18next must not HTML-escape: the dash must be kept too.
const placeholders = (text: string) => [...text.matchAll(/{{\s*(-?)\s*([\w.]+)\s*}}/g)].map((m) => m[1] + m[2]).sort();
const tags = (text: string) => [...text.matchAll(/<\/?(\d+)\/?>/g)].map((m) => m[0]).sort();

const en = new Map(flatten(english as Tree));
const de = new Map(flatten(german as Tree));

describe('the catalogues', () => {
  it('has an English catalogue extracted from the code', () => {
    expect(en.size).toBeGreaterThan(300);
  });

  it('translates every English key into German, and nothing else', () => {
    expect([...en.keys()].filter((k) => !de.has(k))).toEqual([]);
    expect([...de.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...de].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('keeps every placeholder and markup tag of the English text', () => {
    const broken = [...en].filter(([k, v]) => {
      const d = de.get(k) ?? '';
      return placeholders(v).join() !== placeholders(d).join() || tags(v).join() !== tags(d).join();
    });
    expect(broken.map(([k]) => k)).toEqual([]);
  });
});

describe('loading a language', () => {
  afterEach(() => i18next.changeLanguage('en-US'));

  it('reads a language without a catalogue in English', async () => {
    expect(await loadCatalogue('fr-FR')).toEqual({});
    expect(await loadCatalogue('de-DE')).toEqual(german);
  });

  it('shows the German catalogue once Grafana runs in German', async () => {
    const key = [...en.keys()].find((k) => placeholders(en.get(k)!).length === 0 && !k.includes('_'))!;
    // Grafana in German: its own catalogue is loaded, so i18next resolves the user's language to German.
    i18next.addResourceBundle('de-DE', 'grafana', { 'nav.home': 'Startseite' });
    await i18next.changeLanguage('de-DE');
    expect(await loadTranslations()).toEqual({ language: 'de-DE' });
    expect(i18next.hasResourceBundle('de-DE', I18N_NAMESPACE)).toBe(true);
    expect(t(key, en.get(key)!)).toBe(de.get(key));

    const Heading = withTranslations(() => (
      <h1>
        <Trans i18nKey={key}>{en.get(key)}</Trans>
      </h1>
    ));
    render(<Heading />);
    expect(await screen.findByRole('heading')).toHaveTextContent(de.get(key)!);
  });
});
