import { Trans, t } from '@grafana/i18n';
import React, { useState } from 'react';
import type { SelectableValue } from '@grafana/data';
import { Alert, Button, Field, Input, LinkButton, Modal, Select, Stack } from '@grafana/ui';
import { apiFailure, type ApiFailure } from '../shared/api';
import { unescaped } from '../shared/i18n';
import { testIds } from '../shared/testIds';

/**
 * The message for one form field when the backend named it (or a part of it, e.g. `target` for
 * `target.schedule[0].value`), without the field name the message starts with.
 */
export function fieldError(failure: ApiFailure | undefined, ...fields: string[]): string | undefined {
  const f = failure?.field;
  if (!f || !fields.some((name) => f === name || f.startsWith(name + '.') || f.startsWith(name + '['))) {
    return undefined;
  }
  return failure.message.startsWith(f + ': ') ? failure.message.slice(f.length + 2) : failure.message;
}

/** Reads the field a query error names ("trackers[0].target.constant: must be …") into an ApiFailure. */
export function queryFailure(failure: ApiFailure, prefix: RegExp): ApiFailure {
  const m = /^([A-Za-z0-9_.[\]]+): /.exec(failure.message);
  if (!m || failure.field) {
    return failure;
  }
  const field = m[1].replace(prefix, '');
  return { ...failure, field, message: field + ': ' + failure.message.slice(m[0].length) };
}

/** Saving a form: the call in flight, and the failure of the last one (the form keeps what was typed). */
export function useSubmit<T>(action: () => Promise<T>, onDone: (result: T) => void) {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiFailure>();
  const submit = async () => {
    setSaving(true);
    setFailure(undefined);
    try {
      const result = await action();
      setSaving(false);
      onDone(result);
    } catch (err) {
      setSaving(false);
      setFailure(apiFailure(err));
    }
  };
  return { saving, failure, submit, setFailure };
}

/** What to do about a failed save, beyond its message. */
function hint(failure: ApiFailure): string | undefined {
  if (failure.status === 409) {
    return t(
      'components.save-failure.hint-conflict',
      'Someone changed or removed it since you opened this page. Copy what you typed, reload, and apply your change again.'
    );
  }
  if (failure.status === 403) {
    return t(
      'components.save-failure.hint-forbidden',
      'Ask an org admin for the role this datasource requires for changes.'
    );
  }
  if (failure.field) {
    return t('components.save-failure.hint-field-marked', 'The field “{{field}}” is marked below.', {
      field: failure.field,
      ...unescaped,
    });
  }
  return undefined;
}

/** The form's failure, shown above its buttons. */
export function SaveFailure({ failure, title }: { failure?: ApiFailure; title?: string }) {
  if (!failure) {
    return null;
  }
  const more = hint(failure);
  return (
    <Alert
      severity="error"
      title={title ?? t('components.save-failure.title-not-saved', 'Not saved')}
      data-testid={testIds.form.error}
    >
      <div>{failure.message}</div>
      {more && <div>{more}</div>}
    </Alert>
  );
}

/** Save and Cancel, at the bottom of a form. */
export function FormButtons({
  saving,
  disabled,
  cancelHref,
  label,
}: {
  saving: boolean;
  disabled?: boolean;
  cancelHref: string;
  /** The save button's text (default "Save"). */
  label?: string;
}) {
  return (
    <Stack gap={1}>
      <Button
        type="submit"
        icon={saving ? 'spinner' : 'save'}
        disabled={saving || disabled}
        data-testid={testIds.form.save}
      >
        {saving ? t('components.form-buttons.saving', 'Saving…') : (label ?? t('components.form-buttons.save', 'Save'))}
      </Button>
      <LinkButton variant="secondary" href={cancelHref} data-testid={testIds.form.cancel}>
        <Trans i18nKey="components.form-buttons.cancel">Cancel</Trans>
      </LinkButton>
    </Stack>
  );
}

/** A failure of a form field found before sending (the same shape as the backend's `{"error", "field"}`). */
export function invalid(field: string, message: string): never {
  throw { data: { field, error: `${field}: ${message}` } };
}

/** A number typed in a form field: empty is undefined (or invalid when required); not a number is invalid. */
export function parseNumber(text: string, field: string, required = false): number | undefined {
  if (text.trim() === '') {
    return required ? invalid(field, t('components.parse-number.is-empty', 'is empty: give a number')) : undefined;
  }
  const n = Number(text);
  return Number.isFinite(n)
    ? n
    : invalid(field, t('components.parse-number.not-a-number', '“{{text}}” is not a number', { text, ...unescaped }));
}

/** A labelled Field that shows the message for the fields a failure names (see fieldError). */
export function MarkedField({
  failure,
  fields,
  children,
  ...field
}: {
  failure?: ApiFailure;
  /** The JSON fields whose messages it shows. */
  fields: string[];
  label: string;
  description?: string;
  htmlFor?: string;
  required?: boolean;
  children: React.ReactElement;
}) {
  const error = fieldError(failure, ...fields);
  return (
    <Field {...field} invalid={Boolean(error)} error={error}>
      {children}
    </Field>
  );
}

/** A labelled text input bound to one field of a form, showing the backend's message when it names that field. */
export function TextField({
  label,
  name,
  value,
  onChange,
  failure,
  description,
  type = 'text',
  width,
  placeholder,
  required,
}: {
  label: string;
  /** The object's JSON field, as the backend names it in errors. */
  name: string;
  value: string;
  onChange: (v: string) => void;
  failure?: ApiFailure;
  description?: string;
  type?: 'text' | 'date' | 'number';
  width?: number;
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <MarkedField label={label} description={description} failure={failure} fields={[name]} required={required}>
      <Input
        id={`covenant-${name}`}
        data-testid={testIds.form.field(name)}
        type={type}
        width={width}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </MarkedField>
  );
}

/** A labelled Select bound to one field of a form (id and test id from its JSON name), marked like TextField. */
export function SelectField({
  label,
  name,
  value,
  onChange,
  failure,
  fields = [name],
  description,
  required,
  ...select
}: {
  label: string;
  /** The object's JSON field, as the backend names it in errors. */
  name: string;
  value: string | null;
  onChange: (v: string) => void;
  failure?: ApiFailure;
  /** The JSON fields whose messages it shows (default: name). */
  fields?: string[];
  description?: string;
  required?: boolean;
  options: Array<SelectableValue<string>>;
  width?: number;
  placeholder?: string;
  disabled?: boolean;
  allowCustomValue?: boolean;
}) {
  return (
    <MarkedField
      htmlFor={`covenant-${name}`}
      label={label}
      description={description}
      failure={failure}
      fields={fields}
      required={required}
    >
      {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
      <Select
        inputId={`covenant-${name}`}
        data-testid={testIds.form.field(name)}
        value={value}
        onChange={(o) => o?.value && onChange(o.value)}
        {...select}
      />
    </MarkedField>
  );
}

/**
 * A registry form: submits on Enter or the save button without reloading the page, and says so
 * when the user may not change anything.
 */
export function FormShell({
  label,
  onSubmit,
  readOnly,
  children,
}: {
  /** The form's accessible name (a form with one is a landmark, e.g. "New contract"). */
  label?: string;
  onSubmit: () => void;
  /** What the user may not change, e.g. "Creating and changing contracts needs the Editor role." */
  readOnly?: string;
  children: React.ReactNode;
}) {
  return (
    <form
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {readOnly && (
        <Alert severity="info" title={t('components.form-shell.title-read-only', 'Read only')}>
          {readOnly}
        </Alert>
      )}
      {children}
    </form>
  );
}

/** Cancel and save at the bottom of a form in a modal; busyLabel shows while saving (default "Saving…"). */
export function ModalButtons({
  saving,
  label,
  onCancel,
  busyLabel,
}: {
  saving: boolean;
  label: string;
  onCancel: () => void;
  busyLabel?: string;
}) {
  return (
    <Modal.ButtonRow>
      <Button variant="secondary" onClick={onCancel}>
        <Trans i18nKey="components.modal-buttons.cancel">Cancel</Trans>
      </Button>
      <Button type="submit" disabled={saving} data-testid={testIds.form.save}>
        {saving ? (busyLabel ?? t('components.modal-buttons.saving', 'Saving…')) : label}
      </Button>
    </Modal.ButtonRow>
  );
}
