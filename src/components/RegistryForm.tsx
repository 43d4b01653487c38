import { t } from '@grafana/i18n';
import React, { useState } from 'react';
import type { NavModelItem } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { createRegistry, updateRegistry, type ApiFailure } from '../shared/api';
import { useLoad } from '../shared/hooks';
import { roleName, unescaped } from '../shared/i18n';
import { testIds } from '../shared/testIds';
import type { RegistryKind, RegistryMeta } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';
import { FormButtons, FormShell, ModalButtons, SaveFailure, fieldError, useSubmit } from './form';
import { LoadedView } from './Loaded';

/** The keys of a draft that hold text, which a TextField edits. */
export type TextKeys<D> = { [K in keyof D]-?: D[K] extends string | undefined ? K : never }[keyof D];

/** What a field of a registry form is given: its JSON name, its value in the draft, and the failure to mark it with. */
export interface Binding<V> {
  name: string;
  value: V;
  onChange: (value: V) => void;
  failure?: ApiFailure;
}

/** What a bare Input or TextArea of a registry form is given. */
export interface InputBinding {
  'data-testid': string;
  value: string;
  onChange: (e: { currentTarget: { value: string } }) => void;
}

/** Which field a binding names and which failure marks it. */
export interface BindOptions {
  /** The JSON field, when it is not the draft's key (e.g. complianceTarget for target). */
  name?: string;
  /** A failure of the form's live preview marks it too (the preview runs it as typed). */
  preview?: boolean;
}

/** A registry form's state: the draft as typed, its save, and the failures that mark its fields. */
export interface RegistryFormState<D> {
  draft: D;
  /** A setter for one field of the draft: set('name')('Acme'). */
  set: <K extends keyof D>(key: K) => (value: D[K]) => void;
  /** Sends the draft: an update of the stored object at its version, else a create. */
  submit: () => void;
  saving: boolean;
  /** The last save's failure (shown above the buttons; a 409 says to reload and apply the change again). */
  failure?: ApiFailure;
  /** The save's failure, else the preview's: the one that marks the field at fault. */
  marked?: ApiFailure;
  /** For a form with a live preview: its failure, which marks a field too until a save fails. */
  setPreviewFailure: (failure?: ApiFailure) => void;
  /**
   * A Field's invalid and error for the fields (or parts of them) the marking failure names:
   * <Field label="Unit" {...form.mark('unit')}>.
   */
  mark: (...fields: string[]) => { invalid: boolean; error?: string };
  /** Binds an editor of one field of the draft: <TargetEditor label="Target" {...form.bind('target')} />. */
  bind: <K extends keyof D & string>(key: K, opts?: BindOptions) => Binding<D[K]>;
  /** Binds a TextField to a text field of the draft (none is ''): <TextField {...form.text('owner')} />. */
  text: (key: TextKeys<D>, opts?: BindOptions) => Binding<string>;
  /**
   * Binds a bare Input or TextArea to a text field of the draft, with the test id of its JSON field:
   * <Input aria-label="Tolerance" {...form.input('tolerance', 'tolerance.value')} />.
   */
  input: (key: TextKeys<D>, name?: string) => InputBinding;
}

/**
 * A registry form's draft, save and field errors, for a kind of registry object: create it (no stored
 * object) or update the stored one at the version it was read at. body builds the object from the draft
 * and may refuse a field first (invalid()); the backend's refusal names its field, and a stale version
 * is a conflict (409). A failed save keeps the draft.
 */
export function useRegistryForm<D, T extends RegistryMeta>({
  kind,
  stored,
  initial,
  body,
  onSaved,
}: {
  kind: RegistryKind;
  /** The object edited, as read; none to create one. */
  stored?: T;
  /** The draft the form opens with. */
  initial: () => D;
  /** The object a draft describes, as sent (with id and version when it updates). */
  body: (draft: D) => Partial<T>;
  onSaved: (saved: T) => void;
}): RegistryFormState<D> {
  const { ds } = useCovenant();
  const [draft, setDraft] = useState<D>(initial);
  const [previewFailure, setPreviewFailure] = useState<ApiFailure>();
  const { saving, failure, submit } = useSubmit(() => {
    const sent = body(draft);
    return stored ? updateRegistry<T>(ds.uid, kind, sent as T) : createRegistry<T>(ds.uid, kind, sent);
  }, onSaved);
  const marked = failure ?? previewFailure;
  const set =
    <K extends keyof D>(key: K) =>
    (value: D[K]) =>
      setDraft((prev) => ({ ...prev, [key]: value }));
  const bind = <K extends keyof D & string>(key: K, opts?: BindOptions): Binding<D[K]> => ({
    name: opts?.name ?? key,
    value: draft[key],
    onChange: set(key),
    failure: opts?.preview ? marked : failure,
  });
  const text = (key: TextKeys<D>, opts?: BindOptions): Binding<string> => {
    const b = bind(key as keyof D & string, opts);
    return { ...b, value: (b.value as string | undefined) ?? '', onChange: b.onChange as (v: string) => void };
  };
  return {
    draft,
    set,
    submit,
    saving,
    failure,
    marked,
    setPreviewFailure,
    mark: (...fields) => {
      const error = fieldError(marked, ...fields);
      return { invalid: Boolean(error), error };
    },
    bind,
    text,
    input: (key, name) => {
      const b = text(key, { name });
      return {
        'data-testid': testIds.form.field(b.name),
        value: b.value,
        onChange: (e) => b.onChange(e.currentTarget.value),
      };
    },
  };
}

/** How a registry form ends: on a page, Save and a Cancel link; in a modal, Cancel and Save. */
export type SaveButtons = { label: string; cancelHref: string } | { label: string; onCancel: () => void };

/**
 * A registry form's frame: the form (Enter submits), its fields, the save's failure and the buttons. With
 * writes (e.g. "contracts"), a user below the datasource's write role is told so and cannot save.
 */
export function RegistryForm<D>({
  form,
  label,
  writes,
  buttons,
  children,
}: {
  form: RegistryFormState<D>;
  /** The form's accessible name, e.g. "New contract". */
  label?: string;
  /** What the form creates and changes, in the read-only notice: "Creating and changing {writes} needs …". */
  writes?: string;
  buttons: SaveButtons;
  children: React.ReactNode;
}) {
  const { canWrite, writeRole } = useCovenant();
  const readOnly =
    writes && !canWrite
      ? t(
          'components.registry-form.read-only-needs-role',
          'Creating and changing {{writes}} needs the {{writeRole}} role.',
          {
            writes,
            writeRole: roleName(writeRole),
            ...unescaped,
          }
        )
      : undefined;
  return (
    <FormShell label={label} onSubmit={form.submit} readOnly={readOnly}>
      {children}
      <SaveFailure failure={form.failure} />
      {'onCancel' in buttons ? (
        <ModalButtons saving={form.saving} label={buttons.label} onCancel={buttons.onCancel} />
      ) : (
        <FormButtons
          saving={form.saving}
          disabled={Boolean(readOnly)}
          cancelHref={buttons.cancelHref}
          label={buttons.label}
        />
      )}
    </FormShell>
  );
}

/**
 * A registry form's page: loads what the form needs (the stored object when it edits one), then draws
 * the form with it, or says why it could not ("No such KPI").
 */
export function RegistryFormPage<V>({
  what,
  load,
  deps,
  nav,
  children,
}: {
  /** What is loaded, in the loading and failure messages: "the KPI". */
  what: string;
  load: () => Promise<V>;
  deps: unknown[];
  /** The page's breadcrumb, given what is loaded so far. */
  nav: (value: V | undefined) => NavModelItem;
  children: (value: V) => React.ReactNode;
}) {
  const loaded = useLoad(load, deps);
  return (
    <PluginPage pageNav={nav(loaded.value)}>
      <LoadedView loaded={loaded} what={what}>
        {children}
      </LoadedView>
    </PluginPage>
  );
}
