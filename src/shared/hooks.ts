import { useCallback, useEffect, useRef, useState } from 'react';
import { apiFailure, type ApiFailure } from './api';

/** The state of something loaded: loading, failed (with the reason), or its value. */
export type Loaded<T> =
  { state: 'loading'; value?: T } | { state: 'error'; failure: ApiFailure; value?: T } | { state: 'ready'; value: T };

const sameDeps = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Loads a value and loads it again when deps change or reload() is called. While a load runs, the
 * last value stays available; a load whose deps are no longer current is ignored.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> & { reload: () => void } {
  const [tick, setTick] = useState(0);
  const current = [...deps, tick];
  const [settled, setSettled] = useState<{ deps: unknown[]; value?: T; failure?: ApiFailure; ok: boolean }>();
  useEffect(() => {
    let alive = true;
    load().then(
      (value) => alive && setSettled({ deps: current, value, ok: true }),
      (err) =>
        alive && setSettled((prev) => ({ deps: current, value: prev?.value, failure: apiFailure(err), ok: false }))
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, current);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  if (!settled || !sameDeps(settled.deps, current)) {
    return { state: 'loading', value: settled?.value, reload };
  }
  return settled.ok
    ? { state: 'ready', value: settled.value as T, reload }
    : { state: 'error', failure: settled.failure as ApiFailure, value: settled.value, reload };
}

/** A value that follows another after it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return out;
}

/** The width of an element, followed as it resizes. */
export function useWidth<E extends HTMLElement>(): [React.RefObject<E>, number] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const ro = new ResizeObserver((entries) => setWidth(Math.floor(entries[0].contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
