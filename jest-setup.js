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
