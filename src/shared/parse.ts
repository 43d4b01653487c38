/** Parses a whole number from a settings input; empty (or not a number) means "use the default". */
export function parseCount(text: string): number | undefined {
  const n = Number(text);
  return text.trim() === '' || !Number.isFinite(n) ? undefined : Math.trunc(n);
}
