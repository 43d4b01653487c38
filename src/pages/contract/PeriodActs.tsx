import { t, Trans } from '@grafana/i18n';
import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import { formattedValueToString, getValueFormat, type GrafanaTheme2, type SelectableValue } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
  Field,
  IconButton,
  Input,
  Modal,
  RadioButtonGroup,
  Select,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { actOnPeriod, apiFailure, uploadAttachment, type ApiFailure } from '../../shared/api';
import { unescaped } from '../../shared/i18n';
import { actorText, exclusionReasonText } from '../../shared/labels';
import { money, pct, periodRange } from '../../shared/format';
import { testIds } from '../../shared/testIds';
import {
  AGREED_REASONS,
  type ActAttachment,
  type ActBody,
  type ActItem,
  type Agreement,
  type PeriodAct,
  type TrackerInput,
} from '../../shared/types';
import { useCovenant } from '../../app/CovenantContext';
import { ModalButtons, fieldError, useSubmit } from '../../components/form';
import { complianceBadge } from './AgreementCard';
import {
  bucketLabel,
  bucketTime,
  excludable,
  itemTime,
  localTime,
  periodDay,
  requestTime,
  type PeriodLedger,
} from './periods';

/** What every act's form is given. */
interface ActProps {
  agreement: Agreement;
  period: PeriodLedger;
  assignmentName: (id: string) => string;
  currency?: string;
  onDone: () => void;
  onCancel: () => void;
}

/**
 * The dialog of an act on a closed period (docs/disputes.md): sign off, dispute or resolve. It sends the
 * act, shows a refusal with the field it names marked, and calls onDone once the act is on the ledger.
 */
export function PeriodActModal({ act, ...props }: ActProps & { act: PeriodAct }) {
  const styles = useStyles2(getStyles);
  const zone = props.agreement.period.timezone || 'UTC';
  const range = periodRange({ start: props.period.start, end: props.period.end }, zone);
  const title =
    act === 'signoff'
      ? t('pages.period-acts.title-sign-off', 'Sign off {{range}}', { range })
      : act === 'dispute'
        ? t('pages.period-acts.title-dispute', 'Dispute {{range}}', { range })
        : t('pages.period-acts.title-resolve', 'Resolve the dispute of {{range}}', { range });
  return (
    <Modal title={title} isOpen onDismiss={props.onCancel} className={act === 'signoff' ? undefined : styles.wide}>
      {act === 'signoff' ? (
        <SignOffForm {...props} />
      ) : act === 'dispute' ? (
        <DisputeForm {...props} />
      ) : (
        <ResolveForm {...props} />
      )}
    </Modal>
  );
}

/** Sends an act on the period and reports its failure. */
function useAct(props: ActProps, act: PeriodAct, body: () => ActBody) {
  const { ds } = useCovenant();
  const day = periodDay(props.period.start, props.agreement.period.timezone || 'UTC');
  return useSubmit(() => actOnPeriod(ds.uid, props.agreement.id, day, act, body()), props.onDone);
}

/** The result acted on, in a sentence: "compliance 87.5 %, Breached, penalty / reward -€5,000". */
function resultText(period: PeriodLedger, currency?: string): string {
  const r = period.result?.snapshot.result;
  if (!r) {
    return '';
  }
  return t('pages.period-acts.result', 'compliance {{compliance}}, {{- status}}, penalty / reward {{- money}}', {
    compliance: pct(r.compliance),
    status: complianceBadge(r.status)?.text ?? r.status,
    money: money(r.penaltyReward, currency),
  });
}

/** A refused act: the backend's message and what to do; fields marked below are said so. */
function ActFailure({ failure, marked }: { failure?: ApiFailure; marked: boolean }) {
  if (!failure) {
    return null;
  }
  const hint =
    failure.status === 409
      ? t(
          'pages.period-acts.hint-conflict',
          "The period's state does not allow this act (it may have changed since the page was loaded): cancel to see the ledger as it is now."
        )
      : failure.status === 403
        ? t(
            'pages.period-acts.hint-forbidden',
            'Ask an org admin for the role this datasource requires for acts on the ledger.'
          )
        : marked && failure.field
          ? t('components.save-failure.hint-field-marked', 'The field “{{field}}” is marked below.', {
              field: failure.field,
              ...unescaped,
            })
          : undefined;
  return (
    <Alert
      severity="error"
      title={t('pages.period-acts.title-not-recorded', 'Not recorded')}
      data-testid={testIds.form.error}
    >
      <div>{failure.message}</div>
      {hint && <div>{hint}</div>}
    </Alert>
  );
}

/** The message for exactly this field (not its parts), without the field name it starts with. */
function exactError(failure: ApiFailure | undefined, field: string): string | undefined {
  return failure?.field === field ? fieldError(failure, field) : undefined;
}

/**
 * A failure whose field names an item of the list sent (items[3].reason) renamed to the row of the form
 * it came from (items[1].reason), the message too; other failures as they are.
 */
export function toRow(failure: ApiFailure | undefined, list: string, rowOf: number[]): ApiFailure | undefined {
  const m = failure?.field ? new RegExp(`^${list}\\[(\\d+)\\]`).exec(failure.field) : null;
  if (!failure || !m || rowOf[Number(m[1])] === undefined) {
    return failure;
  }
  const field = `${list}[${rowOf[Number(m[1])]}]${failure.field!.slice(m[0].length)}`;
  const message = failure.message.startsWith(failure.field + ': ')
    ? `${field}: ${failure.message.slice(failure.field!.length + 2)}`
    : failure.message;
  return { ...failure, field, message };
}

/** The comment of an act, marked when the backend refuses it. */
function CommentField({
  value,
  onChange,
  failure,
  required,
  description,
}: {
  value: string;
  onChange: (v: string) => void;
  failure?: ApiFailure;
  required?: boolean;
  description?: string;
}) {
  const error = fieldError(failure, 'comment');
  return (
    <Field
      label={t('pages.period-acts.label-comment', 'Comment')}
      description={description}
      required={required}
      invalid={Boolean(error) || undefined}
      error={error}
    >
      <TextArea
        id="covenant-act-comment"
        rows={3}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data-testid={testIds.form.field('comment')}
      />
    </Field>
  );
}

/** Sign off: accept the period's result as final, with an optional comment. */
function SignOffForm(props: ActProps) {
  const [comment, setComment] = useState('');
  const act = useAct(props, 'signoff', () => ({ comment: comment.trim() || undefined }));
  const { failure } = act;
  return (
    <ActForm
      act={act}
      label={t('pages.period-acts.sign-off', 'Sign off')}
      failure={failure}
      marked={failure?.field === 'comment'}
      onCancel={props.onCancel}
    >
      <p>
        {t(
          'pages.period-acts.sign-off-what',
          'Signing off accepts the period’s result as final: {{- result}}. It cannot be disputed afterwards.',
          { result: resultText(props.period, props.currency) }
        )}
      </p>
      <CommentField value={comment} onChange={setComment} failure={failure} />
    </ActForm>
  );
}

/** A challenged tracker as the dispute form holds it: some of its buckets, one request, or all of it. */
interface DraftItem {
  assignmentId: string;
  scope: 'buckets' | 'request' | 'whole';
  /** Bucket starts, unix seconds. */
  buckets: number[];
  /** A request's opening time, unix nanoseconds. */
  request?: number;
  reason: string;
  note: string;
  /** Cite the KPI rows behind the buckets picked. */
  cite: boolean;
}

const newItem = (tracker?: TrackerInput): DraftItem => ({
  assignmentId: tracker?.assignment ?? '',
  scope: tracker?.mode === 'occurrence' ? 'request' : 'buckets',
  buckets: [],
  reason: '',
  note: '',
  cite: true,
});

/**
 * The items a dispute sends for the form's rows (a row with three buckets is three items, with its reason
 * and note), and for each item the row it came from.
 */
export function disputeItems(rows: DraftItem[]): { items: ActItem[]; rowOf: number[] } {
  const items: ActItem[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    const base = { assignmentId: r.assignmentId, reason: r.reason.trim(), note: r.note.trim() || undefined };
    const add = (extra: Partial<ActItem>) => {
      items.push({ ...base, ...extra });
      rowOf.push(i);
    };
    if (r.scope === 'buckets' && r.buckets.length > 0) {
      [...r.buckets]
        .sort((a, b) => a - b)
        .forEach((b) => add({ bucket: bucketTime(b), ...(r.cite ? { cite: true } : {}) }));
    } else if (r.scope === 'request' && r.request !== undefined) {
      add({ request: requestTime(r.request) });
    } else {
      // The whole tracker (or nothing picked yet: the backend says so at the item).
      add({});
    }
  });
  return { items, rowOf };
}

/** A bucket's or request's value in the tracker's unit: "97.25%", "45 min", or "no data". */
function valueText(v: number | null, unit?: string): string {
  if (v === null || v === undefined) {
    return t('pages.period-acts.no-data', 'no data');
  }
  return formattedValueToString(getValueFormat(unit || 'none')(v, 2));
}

/** Dispute: a comment and the challenged items, each a covered tracker's buckets, a request, or the tracker. */
function DisputeForm(props: ActProps) {
  const styles = useStyles2(getStyles);
  const zone = props.agreement.period.timezone || 'UTC';
  const trackers = useMemo(() => props.period.result?.snapshot.inputs?.trackers ?? [], [props.period]);
  const [comment, setComment] = useState('');
  const [rows, setRows, setRow] = useRows<DraftItem>(() => [newItem(trackers[0])]);
  const [files, setFiles] = useState<ActAttachment[]>([]);
  const sent = useMemo(() => disputeItems(rows), [rows]);
  const act = useAct(props, 'dispute', () => ({
    comment: comment.trim(),
    items: sent.items,
    ...(files.length > 0 ? { attachments: files.map((f) => ({ sha256: f.sha256 })) } : {}),
  }));
  const failure = toRow(act.failure, 'items', sent.rowOf);
  const trackerOptions: Array<SelectableValue<string>> = trackers.map((tr) => ({
    value: tr.assignment,
    label: props.assignmentName(tr.assignment),
    description:
      tr.mode === 'occurrence'
        ? t('pages.period-acts.counted-by-requests', 'counted by requests')
        : t('pages.period-acts.counted-by-time-slices', 'counted by time slices'),
  }));
  const itemsError = exactError(failure, 'items');
  const marked = Boolean(failure?.field && (failure.field === 'comment' || failure.field.startsWith('items')));
  return (
    <ActForm
      act={act}
      label={t('pages.period-acts.dispute', 'Dispute')}
      failure={failure}
      marked={marked || Boolean(failure?.field?.startsWith('attachments'))}
      onCancel={props.onCancel}
    >
      <p>
        {t(
          'pages.period-acts.dispute-what',
          'A dispute challenges the period’s result ({{- result}}) item by item. The period stays disputed until the dispute is resolved: the result upheld, or restated without the exclusions both parties agree on.',
          { result: resultText(props.period, props.currency) }
        )}
      </p>
      <CommentField
        value={comment}
        onChange={setComment}
        failure={failure}
        required
        description={t('pages.period-acts.dispute-comment', 'What is disputed and why.')}
      />
      <Field
        label={t('pages.period-acts.label-items', 'Disputed items')}
        invalid={Boolean(itemsError) || undefined}
        error={itemsError}
      >
        <div className={styles.rows}>
          {rows.map((row, i) => {
            const tracker = trackers.find((x) => x.assignment === row.assignmentId);
            const f = (name: string) => fieldError(failure, `items[${i}].${name}`);
            const whole = exactError(failure, `items[${i}]`);
            const scopes = [
              tracker?.mode === 'occurrence'
                ? { value: 'request' as const, label: t('pages.period-acts.scope-request', 'A request') }
                : { value: 'buckets' as const, label: t('pages.period-acts.scope-buckets', 'Buckets') },
              { value: 'whole' as const, label: t('pages.period-acts.scope-whole', 'The whole tracker') },
            ];
            return (
              <fieldset key={i} className={styles.row} data-testid={testIds.periodActs.item(i)}>
                <legend className={styles.legend}>
                  {t('pages.period-acts.item-n', 'Item {{n}}', { n: i + 1 })}
                  {rows.length > 1 && (
                    <IconButton
                      name="trash-alt"
                      size="sm"
                      tooltip={t('pages.period-acts.remove-item', 'Remove item {{n}}', { n: i + 1 })}
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                    />
                  )}
                </legend>
                <div className={styles.inline}>
                  <Field
                    label={t('pages.period-acts.label-tracker', 'Tracker')}
                    invalid={Boolean(f('assignmentId')) || undefined}
                    error={f('assignmentId')}
                  >
                    {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
                    <Select
                      inputId={`covenant-items-${i}-tracker`}
                      data-testid={testIds.form.field(`items[${i}].assignmentId`)}
                      width={36}
                      options={trackerOptions}
                      value={row.assignmentId || null}
                      onChange={(o) => {
                        const next = trackers.find((x) => x.assignment === o?.value);
                        setRow(i, { ...newItem(next), reason: row.reason, note: row.note });
                      }}
                    />
                  </Field>
                  <Field
                    label={t('pages.period-acts.label-what', 'What')}
                    invalid={Boolean(whole) || undefined}
                    error={whole}
                  >
                    <div data-testid={testIds.form.field(`items[${i}].scope`)}>
                      <RadioButtonGroup options={scopes} value={row.scope} onChange={(scope) => setRow(i, { scope })} />
                    </div>
                  </Field>
                </div>
                {row.scope === 'buckets' && tracker && (
                  <Field
                    label={t('pages.period-acts.label-buckets', 'Buckets ({{count}} picked)', {
                      count: row.buckets.length,
                    })}
                    description={t(
                      'pages.period-acts.buckets-description',
                      'Each bucket’s start in {{- zone}}, and its actual.',
                      {
                        zone,
                      }
                    )}
                    invalid={Boolean(f('bucket')) || undefined}
                    error={f('bucket')}
                  >
                    <>
                      <div className={styles.buckets} data-testid={testIds.form.field(`items[${i}].buckets`)}>
                        {(tracker.buckets ?? []).map(([start, actual]) => {
                          const on = row.buckets.includes(start);
                          return (
                            <div key={start}>
                              <Checkbox
                                label={t('pages.period-acts.bucket', '{{when}} · {{- actual}}', {
                                  when: bucketLabel(start * 1000, zone),
                                  actual: valueText(actual, tracker.def?.kpi?.unit),
                                })}
                                value={on}
                                onChange={() =>
                                  setRow(i, {
                                    buckets: on ? row.buckets.filter((b) => b !== start) : [...row.buckets, start],
                                  })
                                }
                              />
                            </div>
                          );
                        })}
                      </div>
                      <Checkbox
                        label={t('pages.period-acts.cite', 'Cite the KPI rows behind these buckets')}
                        description={t(
                          'pages.period-acts.cite-description',
                          'Covenant fetches them through the connector and records how many there are, their digest, and whether they changed since the close.'
                        )}
                        value={row.cite}
                        data-testid={testIds.form.field(`items[${i}].cite`)}
                        onChange={() => setRow(i, { cite: !row.cite })}
                      />
                    </>
                  </Field>
                )}
                {row.scope === 'request' && tracker && (
                  <Field
                    label={t('pages.period-acts.label-request', 'Request')}
                    description={t('pages.period-acts.request-description', 'By its opening time in {{- zone}}.', {
                      zone,
                    })}
                    invalid={Boolean(f('request')) || undefined}
                    error={f('request')}
                  >
                    {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
                    <Select
                      inputId={`covenant-items-${i}-request`}
                      data-testid={testIds.form.field(`items[${i}].request`)}
                      width={48}
                      options={(tracker.requests ?? []).map(([at, value, open]) => ({
                        value: String(at),
                        label: open
                          ? t('pages.period-acts.request-open', '{{when}} · open', { when: localTime(at / 1e6, zone) })
                          : t('pages.period-acts.request', '{{when}} · {{- value}}', {
                              when: localTime(at / 1e6, zone),
                              value: valueText(value, tracker.def?.kpi?.unit),
                            }),
                      }))}
                      value={row.request === undefined ? null : String(row.request)}
                      onChange={(o) => o?.value && setRow(i, { request: Number(o.value) })}
                    />
                  </Field>
                )}
                <div className={styles.inline}>
                  <Field
                    label={t('pages.period-acts.label-reason', 'Reason')}
                    required
                    invalid={Boolean(f('reason')) || undefined}
                    error={f('reason')}
                  >
                    <Input
                      width={40}
                      value={row.reason}
                      onChange={(e) => setRow(i, { reason: e.currentTarget.value })}
                      data-testid={testIds.form.field(`items[${i}].reason`)}
                      aria-label={t('pages.period-acts.aria-reason', 'Item {{n}}: reason', { n: i + 1 })}
                    />
                  </Field>
                  <Field
                    label={t('pages.period-acts.label-note', 'Note')}
                    invalid={Boolean(f('note')) || undefined}
                    error={f('note')}
                  >
                    <Input
                      width={30}
                      placeholder={t('pages.period-acts.placeholder-note', 'a ticket number, the evidence')}
                      value={row.note}
                      onChange={(e) => setRow(i, { note: e.currentTarget.value })}
                      data-testid={testIds.form.field(`items[${i}].note`)}
                      aria-label={t('pages.period-acts.aria-note', 'Item {{n}}: note', { n: i + 1 })}
                    />
                  </Field>
                </div>
              </fieldset>
            );
          })}
          <div>
            <Button
              size="sm"
              variant="secondary"
              icon="plus"
              onClick={() => setRows([...rows, newItem(trackers[0])])}
              data-testid={testIds.periodActs.addItem}
            >
              <Trans i18nKey="pages.period-acts.add-item">Add item</Trans>
            </Button>
          </div>
        </div>
      </Field>
      <EvidenceFiles files={files} onChange={setFiles} failure={failure} />
    </ActForm>
  );
}

/** What an act's button says while it is being recorded. */
const recording = () => t('pages.period-acts.sending', 'Recording…');

/** An act's form: its fields, then what went wrong and its Cancel and act buttons. */
function ActForm({
  act,
  label,
  failure,
  marked,
  onCancel,
  children,
}: {
  act: { saving: boolean; submit: () => void };
  label: string;
  failure?: ApiFailure;
  /** Whether the failure marks one of the form's fields (ActFailure then says so). */
  marked: boolean;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        act.submit();
      }}
    >
      {children}
      <ActFailure failure={failure} marked={marked} />
      <ModalButtons saving={act.saving} busyLabel={recording()} label={label} onCancel={onCancel} />
    </form>
  );
}

/** A form's list of rows, with setRow(i, patch) to change one. */
function useRows<T>(init: () => T[]) {
  const [rows, setRows] = useState<T[]>(init);
  const setRow = (i: number, patch: Partial<T>) =>
    setRows((prev) => prev.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return [rows, setRows, setRow] as const;
}

/** The largest evidence file the backend takes. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * A dispute's evidence files: each is uploaded when picked (stored by the SHA-256 of its content) and
 * the dispute names it by that hash, so the ledger records what was attached.
 */
function EvidenceFiles({
  files,
  onChange,
  failure,
}: {
  files: ActAttachment[];
  onChange: (files: ActAttachment[]) => void;
  failure?: ApiFailure;
}) {
  const { ds } = useCovenant();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const pick = async (list: FileList | null) => {
    setError(undefined);
    const picked = Array.from(list ?? []);
    const big = picked.find((f) => f.size > MAX_FILE_BYTES);
    if (big) {
      setError(
        t(
          'pages.evidence-files.too-big',
          '{{- name}} is larger than 4 MiB: attach a smaller file, or a link in the comment',
          {
            name: big.name,
          }
        )
      );
      return;
    }
    setBusy(true);
    try {
      const stored: ActAttachment[] = [];
      for (const f of picked) {
        stored.push(await uploadAttachment(ds.uid, f));
      }
      onChange([...files, ...stored.filter((s) => !files.some((f) => f.sha256 === s.sha256))]);
    } catch (err) {
      setError(apiFailure(err).message);
    } finally {
      setBusy(false);
    }
  };
  const shown = error ?? fieldError(failure, 'attachments');
  return (
    <Field
      label={t('pages.evidence-files.label', 'Evidence files')}
      description={t(
        'pages.evidence-files.description',
        'Optional: logs, reports or emails, up to 4 MiB each. The ledger records each file by the hash of its content.'
      )}
      invalid={Boolean(shown) || undefined}
      error={shown}
    >
      <Stack direction="column" gap={0.5}>
        <input
          type="file"
          multiple
          disabled={busy}
          aria-label={t('pages.evidence-files.label', 'Evidence files')}
          data-testid={testIds.periodActs.files}
          onChange={(e) => pick(e.currentTarget.files)}
        />
        {files.map((f) => (
          <Stack key={f.sha256} gap={1} alignItems="center">
            <span>{f.name}</span>
            <IconButton
              name="times"
              tooltip={t('pages.evidence-files.remove', 'Leave out {{- name}}', { name: f.name })}
              onClick={() => onChange(files.filter((x) => x.sha256 !== f.sha256))}
            />
          </Stack>
        ))}
      </Stack>
    </Field>
  );
}

/** A disputed item as the resolution form holds it: excluded or not, with the agreed reason and note. */
interface DraftExclusion {
  item: ActItem;
  include: boolean;
  reason: string;
  note: string;
}

/** The resolution's exclusions for the form's rows, and for each the row it came from. */
export function resolutionExclusions(rows: DraftExclusion[]): { exclusions: ActItem[]; rowOf: number[] } {
  const exclusions: ActItem[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    if (r.include && excludable(r.item)) {
      const { bucket, request } = r.item;
      exclusions.push({
        assignmentId: r.item.assignmentId,
        bucket,
        request,
        reason: r.reason,
        note: r.note.trim() || undefined,
      });
      rowOf.push(i);
    }
  });
  return { exclusions, rowOf };
}

/** Resolve: a comment and the outcome; restated applies the disputed items picked as agreed exclusions. */
function ResolveForm(props: ActProps) {
  const styles = useStyles2(getStyles);
  const zone = props.agreement.period.timezone || 'UTC';
  const dispute = props.period.dispute;
  const [comment, setComment] = useState('');
  const [outcome, setOutcome] = useState<'upheld' | 'restated'>('restated');
  const [rows, , setRow] = useRows<DraftExclusion>(() =>
    (dispute?.snapshot.items ?? []).map((item) => ({
      item,
      include: excludable(item),
      reason: (AGREED_REASONS as readonly string[]).includes(item.reason) ? item.reason : '',
      note: item.note ?? '',
    }))
  );
  const sent = useMemo(() => resolutionExclusions(rows), [rows]);
  const act = useAct(props, 'resolve', () =>
    outcome === 'upheld'
      ? { comment: comment.trim(), dispute: dispute?.seq ?? props.period.lifecycle?.dispute, outcome }
      : {
          comment: comment.trim(),
          dispute: dispute?.seq ?? props.period.lifecycle?.dispute,
          outcome,
          exclusions: sent.exclusions,
        }
  );
  const failure = toRow(act.failure, 'exclusions', sent.rowOf);
  const reasonOptions = AGREED_REASONS.map((r) => ({ value: r, label: exclusionReasonText(r) }));
  const outcomeError = fieldError(failure, 'outcome');
  const exclusionsError = exactError(failure, 'exclusions');
  const marked = Boolean(
    (failure?.field && ['comment', 'outcome'].includes(failure.field)) || failure?.field?.startsWith('exclusions')
  );
  const what = (it: ActItem) => {
    const at = itemTime(it);
    return at === undefined
      ? t('pages.ledger-thread.whole-tracker', 'the whole tracker')
      : it.bucket
        ? bucketLabel(at, zone)
        : t('pages.ledger-thread.request-at', 'request opened {{when}}', { when: localTime(at, zone) });
  };
  return (
    <ActForm
      act={act}
      label={t('pages.period-acts.resolve', 'Resolve')}
      failure={failure}
      marked={marked}
      onCancel={props.onCancel}
    >
      {dispute && (
        <Alert
          severity="info"
          title={t('pages.period-acts.disputed-by', 'Disputed by {{- who}} · {{when}}', {
            who: actorText(dispute.snapshot.by),
            when: localTime(Date.parse(dispute.computedAt), zone),
          })}
        >
          {dispute.snapshot.comment}
        </Alert>
      )}
      <p>
        {t('pages.period-acts.resolve-what', 'The result disputed: {{- result}}.', {
          result: resultText(props.period, props.currency),
        })}
      </p>
      <CommentField
        value={comment}
        onChange={setComment}
        failure={failure}
        required
        description={t('pages.period-acts.resolve-comment', 'How the dispute was settled.')}
      />
      <Field
        label={t('pages.period-acts.label-outcome', 'Outcome')}
        invalid={Boolean(outcomeError) || undefined}
        error={outcomeError}
      >
        <div data-testid={testIds.form.field('outcome')}>
          <RadioButtonGroup
            options={[
              { value: 'upheld' as const, label: t('pages.period-acts.outcome-upheld', 'Upheld: the result stands') },
              {
                value: 'restated' as const,
                label: t('pages.period-acts.outcome-restated', 'Restated: the agreed exclusions apply'),
              },
            ]}
            value={outcome}
            onChange={setOutcome}
          />
        </div>
      </Field>
      {outcome === 'restated' && (
        <Field
          label={t('pages.period-acts.label-exclusions', 'Agreed exclusions')}
          description={t(
            'pages.period-acts.exclusions-description',
            'The period is computed again without the buckets and requests picked: they count neither as met nor as missed.'
          )}
          invalid={Boolean(exclusionsError) || undefined}
          error={exclusionsError}
        >
          <div className={styles.rows}>
            {rows.map((r, i) => {
              const f = (name: string) =>
                fieldError(failure, `exclusions[${i}].${name}`) ?? exactError(failure, `exclusions[${i}]`);
              const label = t('pages.period-acts.exclude', 'Exclude {{- tracker}}, {{- what}}', {
                tracker: props.assignmentName(r.item.assignmentId),
                what: what(r.item),
              });
              return (
                <div key={i} className={styles.exclusion} data-testid={testIds.periodActs.exclusion(i)}>
                  <div>
                    <Checkbox
                      label={label}
                      value={r.include}
                      disabled={!excludable(r.item)}
                      onChange={() => setRow(i, { include: !r.include })}
                    />
                    <div className={styles.muted}>
                      {excludable(r.item)
                        ? t('pages.period-acts.disputed-because', 'Disputed: {{- reason}}', { reason: r.item.reason })
                        : t(
                            'pages.period-acts.not-excludable',
                            'A whole tracker cannot be excluded: a restatement takes out buckets or requests.'
                          )}
                    </div>
                  </div>
                  {r.include && excludable(r.item) && (
                    <div className={styles.inline}>
                      <Field
                        label={t('pages.period-acts.label-agreed-reason', 'Agreed reason')}
                        invalid={Boolean(f('reason')) || undefined}
                        error={f('reason')}
                      >
                        {/* eslint-disable-next-line @typescript-eslint/no-deprecated -- Combobox needs Grafana 11.3+; we support 11.2 */}
                        <Select
                          inputId={`covenant-exclusions-${i}-reason`}
                          data-testid={testIds.form.field(`exclusions[${i}].reason`)}
                          width={24}
                          options={reasonOptions}
                          placeholder={t('pages.period-acts.placeholder-reason', 'Choose a reason')}
                          value={r.reason || null}
                          onChange={(o) => o?.value && setRow(i, { reason: o.value })}
                        />
                      </Field>
                      <Field label={t('pages.period-acts.label-note', 'Note')}>
                        <Input
                          width={30}
                          value={r.note}
                          onChange={(e) => setRow(i, { note: e.currentTarget.value })}
                          data-testid={testIds.form.field(`exclusions[${i}].note`)}
                          aria-label={t('pages.period-acts.aria-exclusion-note', 'Exclusion {{n}}: note', { n: i + 1 })}
                        />
                      </Field>
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </Field>
      )}
    </ActForm>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wide: css({ width: '900px', maxWidth: '95vw' }),
  rows: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), width: '100%' }),
  row: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1, 1.5, 0),
  }),
  legend: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontSize: theme.typography.body.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    width: 'auto',
    margin: 0,
    padding: theme.spacing(0, 0.5),
  }),
  inline: css({ display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' }),
  buckets: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))',
    gap: theme.spacing(0.5, 2),
    maxHeight: 220,
    overflowY: 'auto',
    padding: theme.spacing(0.5),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  exclusion: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1, 3),
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    paddingBottom: theme.spacing(1),
  }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
