import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CodeEditor as RealCodeEditor, Monaco, MonacoEditor, monacoTypes } from '@grafana/ui';

type CodeEditorProps = React.ComponentProps<typeof RealCodeEditor>;

/** A completion provider registered with the stand-in Monaco. */
export interface FakeProvider {
  language: string;
  provider: monacoTypes.languages.CompletionItemProvider;
  disposed: boolean;
}

/** A text model of the stand-in Monaco: its text, and offsets to line/column positions and back. */
export interface FakeModel {
  id: string;
  getValue: () => string;
  getOffsetAt: (p: { lineNumber: number; column: number }) => number;
  getPositionAt: (offset: number) => { lineNumber: number; column: number };
}

/** What the stand-in Monaco recorded: its editors' models and the completion providers registered. */
export const fakeMonaco = {
  models: [] as FakeModel[],
  providers: [] as FakeProvider[],
  reset() {
    this.models.length = 0;
    this.providers.length = 0;
  },
};

let nextModel = 0;

function fakeModel(text: () => string): FakeModel {
  return {
    id: `fake-model-${++nextModel}`,
    getValue: text,
    getOffsetAt: ({ lineNumber, column }) => {
      const lines = text().split('\n');
      return lines.slice(0, lineNumber - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
    },
    getPositionAt: (offset) => {
      const before = text().slice(0, offset).split('\n');
      return { lineNumber: before.length, column: before[before.length - 1].length + 1 };
    },
  };
}

/** The parts of the monaco namespace the SQL editor uses. */
const monacoApi = {
  languages: {
    CompletionItemKind: { Variable: 4, Class: 5, Field: 3, Keyword: 17 },
    CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
    registerCompletionItemProvider(language: string, provider: monacoTypes.languages.CompletionItemProvider) {
      const p: FakeProvider = { language, provider, disposed: false };
      fakeMonaco.providers.push(p);
      return { dispose: () => (p.disposed = true) };
    },
  },
};

/**
 * Grafana's CodeEditor for jest, where Monaco does not load: a text area (its aria-label the editor's
 * ariaLabel) that reports edits to onChange and the text to onBlur as CodeEditor does, and mounts a
 * stand-in editor whose model and completion providers fakeMonaco records.
 */
function FakeCodeEditor({ value, onChange, onBlur, onEditorDidMount, monacoOptions }: CodeEditorProps) {
  const [text, setText] = useState(value);
  // As Monaco's, the text follows a new value from above.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const textRef = useRef(value);
  useLayoutEffect(() => {
    textRef.current = text;
  });
  const model = useRef<FakeModel>();
  useEffect(() => {
    model.current = fakeModel(() => textRef.current);
    fakeMonaco.models.push(model.current);
    const editor = { getModel: () => model.current, getValue: () => textRef.current };
    onEditorDidMount?.(editor as unknown as MonacoEditor, monacoApi as unknown as Monaco);
    // CodeEditor, too, calls onEditorDidMount once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <textarea
      aria-label={monacoOptions?.ariaLabel}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        onChange?.(e.currentTarget.value);
      }}
      onBlur={() => onBlur?.(text)}
    />
  );
}

/**
 * @grafana/ui with CodeEditor replaced by the stand-in above. Use it in a test that renders a SQL editor:
 *   jest.mock('@grafana/ui', () => jest.requireActual('../test/codeEditor').mockCodeEditor());
 */
export function mockCodeEditor() {
  return { ...jest.requireActual('@grafana/ui'), CodeEditor: FakeCodeEditor };
}

/** The text area of the SQL editor with the given test id (the stand-in inside its frame, or the plain one). */
export function sqlTextArea(frame: HTMLElement): HTMLTextAreaElement {
  const area = frame instanceof HTMLTextAreaElement ? frame : frame.querySelector('textarea');
  if (!area) {
    throw new Error('no text area in the SQL editor');
  }
  return area;
}

/** The completion labels the live providers for the model of the latest editor offer at offset (the end by default). */
export async function completionLabels(offset?: number): Promise<string[]> {
  const model = fakeMonaco.models[fakeMonaco.models.length - 1];
  const at = model.getPositionAt(offset ?? model.getValue().length);
  const out: string[] = [];
  for (const p of fakeMonaco.providers.filter((x) => !x.disposed)) {
    const list = await p.provider.provideCompletionItems(
      model as unknown as monacoTypes.editor.ITextModel,
      at as monacoTypes.Position,
      { triggerKind: 0 } as monacoTypes.languages.CompletionContext,
      {} as monacoTypes.CancellationToken
    );
    out.push(...(list?.suggestions ?? []).map((s) => (typeof s.label === 'string' ? s.label : s.label.label)));
  }
  return out;
}
