import { t } from '@grafana/i18n';
import { dateTimeForTimeZone, dateTimeFormat } from '@grafana/data';
import type { ApiFailure } from '../../shared/api';
import { fieldError, invalid } from '../../components/form';
import {
  WEEKDAYS,
  type Calendar,
  type CalendarExclusion,
  type CalendarHoliday,
  type CalendarHours,
  type ExclusionReason,
  type Weekday,
} from '../../shared/types';

/**
 * An exclusion as typed: from and to are local date-times (YYYY-MM-DDTHH:mm, as a datetime-local
 * input gives them) in the calendar's time zone; stored keeps the instants it was read with, sent
 * again unchanged when the typed times still name them.
 */
export interface ExclusionDraft {
  from: string;
  to: string;
  reason: ExclusionReason;
  note: string;
  stored?: { from: string; to: string };
}

/** A calendar as the form edits it. */
export interface CalendarDraft {
  id?: string;
  version?: number;
  name: string;
  description: string;
  timezone: string;
  hours: CalendarHours[];
  /** Dated changes of the hours (effective-dated, as a target's schedule). */
  hoursFrom: Array<{ from: string; hours: CalendarHours[] }>;
  holidays: CalendarHoliday[];
  exclusions: ExclusionDraft[];
}

/** Monday to Friday, 08:00 to 18:00: the common business hours. */
export function weekdayHours(): CalendarHours[] {
  return WEEKDAYS.slice(0, 5).map((day) => ({ day, from: '08:00', to: '18:00' }));
}

/** Every day, all day: 24/7. */
export function allWeekHours(): CalendarHours[] {
  return WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }));
}

/** A new calendar's draft: Mon–Fri 08:00–18:00 in UTC. */
export function emptyCalendar(): CalendarDraft {
  return {
    name: '',
    description: '',
    timezone: 'UTC',
    hours: weekdayHours(),
    hoursFrom: [],
    holidays: [],
    exclusions: [],
  };
}

/** Whether the browser knows an IANA time zone. */
export function knownZone(zone: string): boolean {
  if (!zone) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** An instant (RFC 3339) as a datetime-local value in a zone: 2026-05-12T23:00 (with seconds when it has some). */
export function toLocalInput(instant: string, zone: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) {
    return instant;
  }
  const timeZone = knownZone(zone) ? zone : 'UTC';
  const withSeconds = dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DDTHH:mm:ss' });
  return withSeconds.endsWith(':00') ? withSeconds.slice(0, -3) : withSeconds;
}

/**
 * A datetime-local value read in a zone, as an RFC 3339 instant with the zone's offset
 * (2026-05-12T23:00:00+01:00), or undefined when it is not a date and time. A wall-clock time that
 * does not exist (when the clocks go forward) moves forward by the gap, as the backend reads it.
 */
export function fromLocalInput(local: string, zone: string): string | undefined {
  if (!LOCAL_RE.test(local)) {
    return undefined;
  }
  const format = local.length > 16 ? 'YYYY-MM-DDTHH:mm:ss' : 'YYYY-MM-DDTHH:mm';
  const m = knownZone(zone) ? dateTimeForTimeZone(zone, local, format) : dateTimeForTimeZone('utc', local, format);
  return m.isValid() ? m.format('YYYY-MM-DDTHH:mm:ssZ') : undefined;
}

/** The draft of a stored calendar: exclusions as local times in its zone. */
export function toCalendarDraft(c: Calendar): CalendarDraft {
  return {
    id: c.id,
    version: c.version,
    name: c.name,
    description: c.description ?? '',
    timezone: c.timezone,
    hours: c.hours ?? [],
    hoursFrom: c.hoursFrom ?? [],
    holidays: c.holidays ?? [],
    exclusions: (c.exclusions ?? []).map((e) => ({
      from: toLocalInput(e.from, c.timezone),
      to: toLocalInput(e.to, c.timezone),
      reason: e.reason,
      note: e.note ?? '',
      stored: { from: e.from, to: e.to },
    })),
  };
}

/** An exclusion's end as sent: the stored instant when the typed time still names it, else the typed one. */
function instant(local: string, zone: string, stored: string | undefined, field: string): string {
  const typed = fromLocalInput(local, zone);
  if (typed === undefined) {
    return invalid(
      field,
      local.trim() === ''
        ? t('pages.calendar-draft.error-time-missing', 'is missing: give a date and time')
        : t('pages.calendar-draft.error-time-invalid', 'is not a date and time: use YYYY-MM-DDTHH:MM')
    );
  }
  return stored !== undefined && Date.parse(stored) === Date.parse(typed) ? stored : typed;
}

/**
 * The calendar a draft describes, as sent: names trimmed, blanks left out, exclusions as instants.
 * Fails like the backend (with the field) when an exclusion's time cannot be read.
 */
export function calendarBody(d: CalendarDraft): Partial<Calendar> {
  const out: Partial<Calendar> = {
    ...(d.id !== undefined ? { id: d.id, version: d.version } : {}),
    name: d.name.trim(),
    timezone: d.timezone.trim(),
    hours: d.hours,
  };
  if (d.description.trim()) {
    out.description = d.description.trim();
  }
  if (d.hoursFrom.length > 0) {
    out.hoursFrom = d.hoursFrom.map((c) => ({ from: c.from.trim(), hours: c.hours }));
  }
  if (d.holidays.length > 0) {
    out.holidays = d.holidays.map((h) => ({ date: h.date, name: h.name.trim() }));
  }
  if (d.exclusions.length > 0) {
    out.exclusions = d.exclusions.map((e, i): CalendarExclusion => {
      const x: CalendarExclusion = {
        from: instant(e.from, d.timezone, e.stored?.from, `exclusions[${i}].from`),
        to: instant(e.to, d.timezone, e.stored?.to, `exclusions[${i}].to`),
        reason: e.reason,
      };
      if (e.note.trim()) {
        x.note = e.note.trim();
      }
      return x;
    });
  }
  return out;
}

/** Minutes after midnight of "HH:MM" (or "24:00"), or undefined. */
export function clockMinutes(s: string): number | undefined {
  if (s === '24:00') {
    return 24 * 60;
  }
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/**
 * The working minutes of a week of windows, on the wall clock (a week with a clock change has an
 * hour more or less); windows that cannot be read count nothing.
 */
export function weeklyMinutes(hours: CalendarHours[]): number {
  let total = 0;
  for (const h of hours) {
    const from = clockMinutes(h.from);
    const to = clockMinutes(h.to);
    if (from === undefined || to === undefined || from === to || from === 24 * 60) {
      continue;
    }
    total += to > from ? to - from : to + 24 * 60 - from;
  }
  return total;
}

/** Where a new window of a day goes in hours: after that day's last, else before the first of a later day. */
export function insertWindow(hours: CalendarHours[], w: CalendarHours): CalendarHours[] {
  const rank = (d: Weekday) => WEEKDAYS.indexOf(d);
  let at = hours.length;
  for (let i = hours.length - 1; i >= 0; i--) {
    if (hours[i].day === w.day) {
      at = i + 1;
      break;
    }
    if (rank(hours[i].day) < rank(w.day)) {
      at = i + 1;
      break;
    }
    at = i;
  }
  return [...hours.slice(0, at), w, ...hours.slice(at)];
}

/**
 * Holidays with those of an import added: a date already listed keeps its row, the others are
 * appended in date order. Returns the list and how many were added.
 */
export function mergeHolidays(
  current: CalendarHoliday[],
  imported: CalendarHoliday[]
): { holidays: CalendarHoliday[]; added: number; skipped: number } {
  const have = new Set(current.map((h) => h.date));
  const added: CalendarHoliday[] = [];
  for (const h of imported) {
    if (!have.has(h.date)) {
      have.add(h.date);
      added.push(h);
    }
  }
  added.sort((a, b) => a.date.localeCompare(b.date));
  return { holidays: [...current, ...added], added: added.length, skipped: imported.length - added.length };
}

// A length of working time, as the calendar pages and the charts' tooltips show it.
export { durationText } from '../../shared/labels';

/**
 * The message of a failure that names a list or a row of it, without the field; a row's message says
 * which row (the backend counts from 0, the form from 1): row(3, "is listed twice …").
 */
export function listMessage(
  failure: ApiFailure | undefined,
  list: string,
  row: (n: number, message: string) => string
): string | undefined {
  const message = fieldError(failure, list);
  const at = failure?.field?.slice(list.length).match(/^\[(\d+)\]/);
  return message !== undefined && at ? row(Number(at[1]) + 1, message) : message;
}
