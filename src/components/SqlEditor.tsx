import { t } from '@grafana/i18n';
import React, { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { CodeEditor, TextArea, useStyles2, type Monaco, type MonacoEditor, type monacoTypes } from '@grafana/ui';
import { getConnectorSchema } from '../shared/api';
import type { ConnectorSchema } from '../shared/types';
import { sqlCompletions, type SuggestionKind } from './sqlCompletion';

export interface SqlEditorProps {
  value: string;
  /** Every edit: keep the text in local state or a draft (optional). */
  onChange?: (text: string) => void;
  /** The editor is left: apply the text (and run the query). */
  onCommit: (text: string) => void;
  /** The editor's data-testid (on its frame; on the text area itself when Monaco did not load). */
  testId: string;
  /** The Covenant datasource and the SQL connector whose tables and columns are offered; none: macros only. */
  datasourceUid: string;
  connector?: string;
  rows?: number;
  invalid?: boolean;
  /** The accessible name of the text area (default "SQL"). */
  label?: string;
}

/** How long Monaco may take to load before the editor falls back to a plain text area. */
export const MONACO_LOAD_TIMEOUT_MS = 15000;

const schemas = new Map<string, Promise<ConnectorSchema | undefined>>();

/**
 * A connector's tables and columns, fetched once per datasource and connector for every editor on the
 * page. A failure (a connector that cannot be reached) gives none, and the next editor asks again.
 */
export function loadConnectorSchema(uid: string, connector: string): Promise<ConnectorSchema | undefined> {
  const key = `${uid}\u0000${connector}`;
  let p = schemas.get(key);
  if (!p) {
    p = getConnectorSchema(uid, connector).catch(() => {
      schemas.delete(key);
      return undefined;
    });
    schemas.set(key, p);
  }
  return p;
}

/** Forgets the fetched schemas (tests). */
export function forgetConnectorSchemas() {
  schemas.clear();
}

/** The schema of a connector for completion; undefined while it loads, when it failed, or without a connector. */
export function useConnectorSchema(uid: string, connector?: string): ConnectorSchema | undefined {
  const [schema, setSchema] = useState<{ key: string; schema?: ConnectorSchema }>();
  const key = connector ? `${uid}\u0000${connector}` : '';
  useEffect(() => {
    if (!connector) {
      return;
    }
    let live = true;
    loadConnectorSchema(uid, connector).then((s) => live && setSchema({ key, schema: s }));
    return () => {
      live = false;
    };
  }, [uid, connector, key]);
  return schema?.key === key ? schema.schema : undefined;
}

/** Monaco's completion list for a position of a model: sqlCompletions, its range and kinds in Monaco's terms. */
export function monacoCompletions(
  monaco: Monaco,
  model: monacoTypes.editor.ITextModel,
  position: monacoTypes.Position,
  schema?: ConnectorSchema
): monacoTypes.languages.CompletionList {
  const c = sqlCompletions(model.getValue(), model.getOffsetAt(position), schema);
  const start = model.getPositionAt(c.from);
  const range = {
    startLineNumber: start.lineNumber,
    startColumn: start.column,
    endLineNumber: position.lineNumber,
    endColumn: position.column,
  };
  const k = monaco.languages.CompletionItemKind;
  const kinds: Record<SuggestionKind, monacoTypes.languages.CompletionItemKind> = {
    macro: k.Variable,
    table: k.Class,
    column: k.Field,
    keyword: k.Keyword,
  };
  return {
    suggestions: c.suggestions.map((s) => ({
      label: s.label,
      kind: kinds[s.kind],
      insertText: s.insertText,
      ...(s.snippet ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
      detail: s.detail,
      documentation: s.documentation,
      sortText: s.sortText,
      range,
    })),
  };
}

/**
 * A SQL editor for KPI SQL: Grafana's CodeEditor (Monaco, language sql) completing Covenant's macros,
 * the connector's tables and the columns of the tables the statement names (GET
 * /connectors/{name}/schema, once per connector). The text is applied when the editor is left
 * (onCommit); onChange follows every edit. Should Monaco fail to load (an error, or nothing after
 * MONACO_LOAD_TIMEOUT_MS), a plain monospace text area takes its place, with the same test id.
 */
export function SqlEditor(props: SqlEditorProps) {
  const { value, testId, datasourceUid, connector, rows = 5, invalid } = props;
  const label = props.label ?? t('components.sql-editor.aria-label-sql', 'SQL');
  const styles = useStyles2(getStyles);
  const schema = useConnectorSchema(datasourceUid, connector);
  const schemaRef = useRef(schema);
  const propsRef = useRef(props);
  useLayoutEffect(() => {
    schemaRef.current = schema;
    propsRef.current = props;
  });
  const provider = useRef<monacoTypes.IDisposable>();
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    if (state !== 'loading') {
      return;
    }
    const timer = setTimeout(() => setState((s) => (s === 'loading' ? 'failed' : s)), MONACO_LOAD_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [state]);
  useEffect(() => () => provider.current?.dispose(), []);

  // CodeEditor keeps the callbacks it mounted with: these stay the same and read the latest props.
  const onChange = useCallback((text: string) => propsRef.current.onChange?.(text), []);
  const onBlur = useCallback((text: string) => propsRef.current.onCommit(text), []);
  const onMount = useCallback((editor: MonacoEditor, monaco: Monaco) => {
    setState('ready');
    const modelId = editor.getModel()?.id;
    provider.current?.dispose();
    provider.current = monaco.languages.registerCompletionItemProvider('sql', {
      triggerCharacters: ['$', '.'],
      // Every Monaco editor on the page shares the provider registry: answer for this one only.
      provideCompletionItems: (model, position) =>
        model.id === modelId ? monacoCompletions(monaco, model, position, schemaRef.current) : undefined,
    });
  }, []);

  if (state === 'failed') {
    return <PlainSqlEditor {...props} />;
  }
  return (
    <div data-testid={testId} className={styles.frame}>
      <EditorBoundary onError={() => setState('failed')}>
        <CodeEditor
          language="sql"
          value={value}
          height={Math.max(rows, 2) * 20 + 12}
          showLineNumbers={false}
          showMiniMap={false}
          containerStyles={cx(styles.container, invalid && styles.invalid)}
          monacoOptions={{ ariaLabel: label, wordWrap: 'on', scrollBeyondLastLine: false }}
          onChange={onChange}
          onBlur={onBlur}
          onEditorDidMount={onMount}
        />
      </EditorBoundary>
    </div>
  );
}

/** The editor without Monaco: a monospace text area that applies its text when left. */
function PlainSqlEditor({ value, onChange, onCommit, testId, rows = 5, invalid, label }: SqlEditorProps) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(value);
  // A new value from above (an example query picked) replaces the text.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  return (
    <TextArea
      data-testid={testId}
      aria-label={label ?? t('components.sql-editor.aria-label-sql', 'SQL')}
      className={styles.plain}
      rows={rows}
      invalid={invalid}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange?.(e.currentTarget.value);
      }}
      onBlur={(e) => onCommit(e.currentTarget.value)}
    />
  );
}

/** Catches Monaco failing as it renders, so that the plain editor can take its place. */
class EditorBoundary extends React.Component<{ onError: () => void; children: React.ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch() {
    this.props.onError();
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  frame: css({ width: '100%' }),
  container: css({
    borderRadius: theme.shape.radius.default,
    border: `1px solid ${theme.components.input.borderColor}`,
  }),
  invalid: css({ borderColor: theme.colors.error.border }),
  plain: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
