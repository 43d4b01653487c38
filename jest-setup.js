// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no IntersectionObserver; @grafana/ui's scroll containers (Select menus) observe with one.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = global.IntersectionObserver ?? NoIntersectionObserver;

// The machines running CI are shared and slow at times: give findBy*/waitFor more than the default second.
require('@testing-library/react').configure({ asyncUtilTimeout: 5000 });

// Grafana initialises its i18next before any plugin code runs; do the same here, before any import
// (@grafana/ui calls t() as its modules load), in English, the language of the strings in the code.
const i18next = require('i18next');
const { initReactI18next } = require('react-i18next');
i18next.use(initReactI18next).init({
  lng: 'en-US',
  fallbackLng: 'en-US',
  // As Grafana does, so its resolvedLanguage is the user's language even before any catalogue is loaded.
  supportedLngs: ['en-US', 'de-DE', 'fr-FR', 'es-ES'],
  resources: {},
  returnEmptyString: false,
  showSupportNotice: false,
  initAsync: false,
});
