import { fireEvent, screen, waitFor, within } from '@testing-library/react';

/** Opens a picker (a Grafana Select under testId) and clicks the option with this text. */
export async function pick(testId: string, option: string) {
  fireEvent.keyDown(within(screen.getByTestId(testId)).getByRole('combobox'), { key: 'ArrowDown' });
  const match = await waitFor(() => {
    const options = screen.getAllByTestId('data-testid Select option');
    const found = options.find((o) => within(o).queryByText(option, { exact: true }));
    if (!found) {
      throw new Error(`no option ${option} in ${options.map((o) => o.textContent).join(', ')}`);
    }
    return found;
  });
  fireEvent.click(match);
}
