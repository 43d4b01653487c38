// Extracts the English catalogue from the t() and <Trans> calls in src/ (`npm run i18n:extract`);
// `npm run i18n:check` fails when the catalogues in src/locales/ are not what the code says. English is
// written in the code; German is translated by hand (docs/translations.md).
module.exports = {
  input: ['src/**/*.{ts,tsx}', '!src/**/*.test.{ts,tsx}', '!src/test/**'],
  output: 'src/locales/$LOCALE/$NAMESPACE.json',
  locales: ['en-US', 'de-DE'],
  defaultNamespace: 'covenant-contracts-app',
  namespaceSeparator: false,
  keySeparator: '.',
  sort: true,
  createOldCatalogs: false,
  keepRemoved: false,
  failOnWarnings: false,
  verbose: false,
  // The English text is the default given in the code; a language missing a key gets an empty string,
  // which the catalogue test reports.
  defaultValue: (locale, _namespace, _key, value) => (locale === 'en-US' ? value : ''),
  resetDefaultValueLocale: 'en-US',
  lexers: {
    ts: [{ lexer: 'JsxLexer', functions: ['t'] }],
    tsx: [{ lexer: 'JsxLexer', functions: ['t'] }],
  },
};
