import { t } from '@grafana/i18n';
import React, { useState } from 'react';
import { Alert, ConfirmModal } from '@grafana/ui';
import { apiFailure, deleteRegistry, type ApiFailure } from '../shared/api';
import type { RegistryKind, RegistryMeta } from '../shared/types';
import { useCovenant } from '../app/CovenantContext';

/** Deleting registry objects after a confirmation; a refusal (e.g. still in use) is kept to be shown. */
export function useRemoval<T extends RegistryMeta>(kind: RegistryKind, onRemoved: (item: T) => void) {
  const { ds } = useCovenant();
  const [pending, setPending] = useState<T>();
  const [failure, setFailure] = useState<ApiFailure>();
  const confirm = async () => {
    const item = pending;
    setPending(undefined);
    setFailure(undefined);
    if (!item) {
      return;
    }
    try {
      await deleteRegistry(ds.uid, kind, item.id, item.version);
      onRemoved(item);
    } catch (err) {
      setFailure(apiFailure(err));
    }
  };
  return {
    pending,
    ask: setPending,
    confirm,
    cancel: () => setPending(undefined),
    failure,
    clear: () => setFailure(undefined),
  };
}

/** The confirmation of a removal, and the reason when the backend refused it. */
export function RemovalDialog<T extends RegistryMeta>({
  removal,
  title,
  body,
  confirmText,
  refused,
}: {
  removal: ReturnType<typeof useRemoval<T>>;
  title: string;
  body: (item: T) => string;
  /** The confirm button's text (default "Delete"). */
  confirmText?: string;
  /** Title of the refusal, e.g. "The KPI was not deleted". */
  refused: string;
}) {
  return (
    <>
      {removal.failure && (
        <Alert severity="error" title={refused} onRemove={removal.clear}>
          {removal.failure.message}
        </Alert>
      )}
      <ConfirmModal
        isOpen={removal.pending !== undefined}
        title={title}
        body={removal.pending ? body(removal.pending) : ''}
        confirmText={confirmText ?? t('components.removal-dialog.confirm-text-delete', 'Delete')}
        onConfirm={removal.confirm}
        onDismiss={removal.cancel}
      />
    </>
  );
}
