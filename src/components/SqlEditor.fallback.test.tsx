import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { MONACO_LOAD_TIMEOUT_MS, SqlEditor } from './SqlEditor';

// Monaco failing to load: CodeEditor throws as it renders, or never mounts an editor.
let mockCodeEditor: 'throws' | 'never mounts' = 'throws';
jest.mock('@grafana/ui', () => ({
  ...jest.requireActual('@grafana/ui'),
  CodeEditor: () => {
    if (mockCodeEditor === 'throws') {
      throw new Error('monaco failed');
    }
    return <div>Loading editor</div>;
  },
}));

const TEST_ID = 'data-testid sql';

function editor() {
  const onChange = jest.fn();
  const onCommit = jest.fn();
  render(
    <SqlEditor value="SELECT 1" onChange={onChange} onCommit={onCommit} testId={TEST_ID} datasourceUid="covenant" />
  );
  return { onChange, onCommit };
}

/** The plain text area keeps the editor's test id and behaviour: edits reported, the text applied when left. */
function expectPlainEditor({ onChange, onCommit }: ReturnType<typeof editor>) {
  const area = screen.getByTestId(TEST_ID);
  expect(area.tagName).toBe('TEXTAREA');
  expect(area).toHaveValue('SELECT 1');
  expect(area).toHaveAccessibleName('SQL');
  fireEvent.change(area, { target: { value: 'SELECT 2' } });
  expect(onChange).toHaveBeenLastCalledWith('SELECT 2');
  fireEvent.blur(area);
  expect(onCommit).toHaveBeenCalledWith('SELECT 2');
}

describe('SqlEditor without Monaco', () => {
  it('falls back to a plain text area when the code editor fails', () => {
    mockCodeEditor = 'throws';
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught error
    try {
      expectPlainEditor(editor());
    } finally {
      quiet.mockRestore();
    }
  });

  it('falls back to a plain text area when Monaco does not load in time', () => {
    mockCodeEditor = 'never mounts';
    jest.useFakeTimers();
    try {
      const calls = editor();
      expect(screen.getByTestId(TEST_ID).tagName).toBe('DIV');
      act(() => {
        jest.advanceTimersByTime(MONACO_LOAD_TIMEOUT_MS);
      });
      expectPlainEditor(calls);
    } finally {
      jest.useRealTimers();
    }
  });
});
