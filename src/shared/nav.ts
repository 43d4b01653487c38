import type { NavModelItem } from '@grafana/data';

/**
 * A page's own breadcrumb below the app's menu entry: Grafana shows Apps › Covenant › <the menu
 * page the URL is under> › text (› parent first when given, e.g. a contract before its report).
 */
export function pageNav(text: string, parent?: { text: string; url: string }): NavModelItem {
  return parent ? { text, parentItem: { text: parent.text, url: parent.url } } : { text };
}
