import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CalendarForm } from './CalendarForm';
import { CalendarsPage } from './CalendarsPage';
import { calendarBody, fromLocalInput, mergeHolidays, toCalendarDraft, toLocalInput } from './calendar/draft';
import { callsTo, fakeFetch, type Answer, type Req } from '../test/backend';
import { renderPage } from '../test/render';
import { testIds } from '../shared/testIds';
import type { Calendar, CalendarPreview } from '../shared/types';

let mockFetch = fakeFetch([]);
const mockPush = jest.fn();

jest.mock('@grafana/runtime', () =>
  jest
    .requireActual('../test/runtime')
    .mockRuntime({ fetch: (r: never) => mockFetch(r), push: (p: string) => mockPush(p) })
);

const stored: Calendar = {
  id: 'uk-support',
  version: 3,
  name: 'UK support hours',
  description: 'Service desk, England',
  timezone: 'Europe/London',
  hours: [
    { day: 'mon', from: '08:00', to: '18:00' },
    { day: 'tue', from: '08:00', to: '18:00' },
    { day: 'wed', from: '08:00', to: '18:00' },
    { day: 'thu', from: '08:00', to: '18:00' },
    { day: 'fri', from: '08:00', to: '18:00' },
    { day: 'sat', from: '22:00', to: '02:00' },
  ],
  holidays: [{ date: '2026-12-25', name: 'Xmas' }],
  exclusions: [
    // 09:00 GMT in winter, 10:00 BST in summer: the form shows London's wall clock.
    { from: '2026-12-22T09:00:00Z', to: '2026-12-22T11:30:00Z', reason: 'maintenance', note: 'Patching' },
    { from: '2026-06-10T09:00:00Z', to: '2026-06-10T10:00:00Z', reason: 'customer_caused' },
  ],
};

/** A preview of two days: a full one and a shorter one with an exclusion, then a holiday. */
const preview: CalendarPreview = {
  timezone: 'Europe/London',
  total: 63000,
  days: [
    {
      date: '2026-12-21',
      weekday: 'mon',
      working: 36000,
      windows: [{ From: '2026-12-21T08:00:00Z', To: '2026-12-21T18:00:00Z' }],
    },
    {
      date: '2026-12-22',
      weekday: 'tue',
      working: 27000,
      windows: [
        { From: '2026-12-22T08:00:00Z', To: '2026-12-22T09:00:00Z' },
        { From: '2026-12-22T11:30:00Z', To: '2026-12-22T18:00:00Z' },
      ],
      excluded: [{ from: '2026-12-22T09:00:00Z', to: '2026-12-22T11:30:00Z', reason: 'maintenance', note: 'Patching' }],
    },
    { date: '2026-12-25', weekday: 'fri', working: 0, windows: [], holiday: 'Christmas Day' },
  ],
};

const field = (name: string) => screen.getByTestId(testIds.form.field(name));
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

const previews = () => callsTo(mockFetch, 'POST', 'calendars/preview');
const lastPreview = () => previews()[previews().length - 1];

/** Opens the form (a stored calendar, or a new one) on a fake backend with these routes first. */
async function open(id: string | undefined, ...routes: Array<[string, Answer | ((r: Req) => Answer)]>) {
  mockFetch = fakeFetch([
    ...routes,
    ['GET registry/calendars/uk-support', { data: stored }],
    ['POST calendars/preview', { data: preview }],
  ]);
  renderPage(<CalendarForm id={id} />);
  await screen.findByTestId(testIds.form.field('name'));
}

/** Chooses a file in the .ics import. */
function chooseIcs(name: string, text: string) {
  const file = new File([text], name, { type: 'text/calendar' });
  // jsdom's File has no text().
  Object.defineProperty(file, 'text', { value: () => Promise.resolve(text) });
  fireEvent.change(screen.getByTestId(testIds.calendar.icsFile), { target: { files: [file] } });
}

describe('CalendarForm', () => {
  beforeEach(() => mockPush.mockReset());

  it('shows a stored calendar, its exclusions in its own time zone, and saves it unchanged', async () => {
    await open('uk-support', ['PUT registry/calendars/uk-support', (r) => ({ data: r.data })]);
    expect(field('name')).toHaveValue('UK support hours');
    expect(field('description')).toHaveValue('Service desk, England');
    expect(field('timezone')).toHaveTextContent('Europe/London');
    expect(field('hours[0].from')).toHaveValue('08:00');
    expect(field('hours[5].from')).toHaveValue('22:00');
    expect(field('hours[5].to')).toHaveValue('02:00');
    expect(
      within(screen.getByTestId(testIds.calendar.day('sat'))).getByTestId(testIds.form.field('hours[5].to'))
    ).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.calendar.day('sun'))).getByText('No working hours')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.calendar.weekly)).toHaveTextContent('54 h a week');
    expect(field('holidays[0].date')).toHaveValue('2026-12-25');
    expect(field('holidays[0].name')).toHaveValue('Xmas');
    expect(field('exclusions[0].from')).toHaveValue('2026-12-22T09:00');
    expect(field('exclusions[0].to')).toHaveValue('2026-12-22T11:30');
    expect(field('exclusions[0].reason')).toHaveTextContent('Maintenance');
    expect(field('exclusions[0].note')).toHaveValue('Patching');
    expect(field('exclusions[1].from')).toHaveValue('2026-06-10T10:00');
    expect(field('exclusions[1].reason')).toHaveTextContent('Customer caused');

    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/a/covenant-contracts-app/calendars'));
    const { createdAt, ...sent } = callsTo(mockFetch, 'PUT', 'registry/calendars/uk-support')[0].data as Calendar;
    expect(createdAt).toBeUndefined();
    expect(sent).toEqual(stored);
  });

  it('edits the week grid into the hours it saves', async () => {
    await open(undefined, [
      'POST registry/calendars',
      (r) => ({ status: 201, data: { ...(r.data as object), id: 'x', version: 1 } }),
    ]);
    type('name', 'Support');
    expect(screen.getByTestId(testIds.calendar.weekly)).toHaveTextContent('50 h a week');
    fireEvent.click(screen.getByTestId(testIds.calendar.preset('always')));
    expect(screen.getByTestId(testIds.calendar.weekly)).toHaveTextContent('168 h a week');
    fireEvent.click(screen.getByTestId(testIds.calendar.preset('weekdays')));
    // Monday mornings only, and an afternoon window added to Monday; Friday off; Saturday added.
    type('hours[0].to', '12:00');
    fireEvent.click(screen.getByTestId(testIds.calendar.addWindow('mon')));
    expect(field('hours[1].from')).toHaveValue('');
    type('hours[1].from', '13:00');
    type('hours[1].to', '17:30');
    fireEvent.click(screen.getByTestId(testIds.calendar.removeWindow(5)));
    fireEvent.click(screen.getByTestId(testIds.calendar.addWindow('sat')));
    expect(screen.getByTestId(testIds.calendar.weekly)).toHaveTextContent('48 h 30 min a week');

    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalled());
    expect(callsTo(mockFetch, 'POST', 'registry/calendars')[0].data).toEqual({
      name: 'Support',
      timezone: 'UTC',
      hours: [
        { day: 'mon', from: '08:00', to: '12:00' },
        { day: 'mon', from: '13:00', to: '17:30' },
        { day: 'tue', from: '08:00', to: '18:00' },
        { day: 'wed', from: '08:00', to: '18:00' },
        { day: 'thu', from: '08:00', to: '18:00' },
        { day: 'sat', from: '08:00', to: '18:00' },
      ],
    });
  });

  it('adds a change of hours from a date, with its own grid, and shows an error at its date', async () => {
    await open(undefined, [
      'POST registry/calendars',
      (r) =>
        (r.data as Calendar).hoursFrom?.[0].from === ''
          ? { status: 400, data: { error: 'hoursFrom[0].from: "" is not a date: use YYYY-MM-DD', field: 'hoursFrom[0].from' } }
          : { status: 201, data: { ...(r.data as object), id: 'x', version: 1 } },
    ]);
    type('name', 'Support');
    fireEvent.click(screen.getByTestId(testIds.calendar.addHoursChange));
    // The change starts from the calendar's hours, in a grid of its own.
    expect(field('hoursFrom[0].hours[4].to')).toHaveValue('18:00');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    expect(await screen.findByText('"" is not a date: use YYYY-MM-DD')).toBeInTheDocument();
    type('hoursFrom[0].from', '2026-07-01');
    type('hoursFrom[0].hours[4].to', '16:00');
    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalled());
    const sent = callsTo(mockFetch, 'POST', 'registry/calendars').at(-1)?.data as Calendar;
    expect(sent.hours[4]).toEqual({ day: 'fri', from: '08:00', to: '18:00' });
    expect(sent.hoursFrom).toEqual([
      {
        from: '2026-07-01',
        hours: [
          { day: 'mon', from: '08:00', to: '18:00' },
          { day: 'tue', from: '08:00', to: '18:00' },
          { day: 'wed', from: '08:00', to: '18:00' },
          { day: 'thu', from: '08:00', to: '18:00' },
          { day: 'fri', from: '08:00', to: '16:00' },
        ],
      },
    ]);
  });

  it('merges the holidays of an .ics file by date, and shows why a file is refused', async () => {
    await open(
      'uk-support',
      [
        'POST calendars/holidays/ics',
        (r) =>
          String(r.data).includes('VEVENT')
            ? {
                data: {
                  holidays: [
                    { date: '2026-12-25', name: 'Christmas Day' },
                    { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
                  ],
                },
              }
            : {
                status: 400,
                data: {
                  error: 'ics: has no events (VEVENT): export the holiday calendar with its events',
                  field: 'ics',
                },
              },
      ],
      ['PUT registry/calendars/uk-support', (r) => ({ data: r.data })]
    );
    chooseIcs('uk.ics', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VEVENT\nEND:VCALENDAR\n');
    expect(await screen.findByTestId(testIds.calendar.icsResult)).toHaveTextContent(
      'uk.ics: holidays added: 1; dates already listed: 1.'
    );
    expect(callsTo(mockFetch, 'POST', 'calendars/holidays/ics')[0].data).toContain('BEGIN:VCALENDAR');
    // The date already listed keeps its own name.
    expect(field('holidays[0].name')).toHaveValue('Xmas');
    expect(field('holidays[1].date')).toHaveValue('2026-12-28');
    expect(field('holidays[1].name')).toHaveValue('Boxing Day (substitute day)');

    chooseIcs('empty.ics', 'BEGIN:VCALENDAR\nEND:VCALENDAR\n');
    expect(
      await screen.findByText(
        'empty.ics was not imported: has no events (VEVENT): export the holiday calendar with its events'
      )
    ).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.calendar.icsResult)).toBeNull();

    fireEvent.click(screen.getByTestId(testIds.form.save));
    await waitFor(() => expect(mockPush).toHaveBeenCalled());
    expect((callsTo(mockFetch, 'PUT', 'registry/calendars')[0].data as Calendar).holidays).toEqual([
      { date: '2026-12-25', name: 'Xmas' },
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
    ]);
  });

  it("shows the backend's working time for the draft, from the day chosen", async () => {
    await open('uk-support');
    const box = screen.getByTestId(testIds.calendar.preview);
    expect(await within(box).findByTestId(testIds.calendar.previewTotal)).toHaveTextContent('17 h 30 min');
    expect(within(box).getByTestId(testIds.calendar.previewDay('2026-12-21'))).toHaveTextContent(
      '2026-12-21Mon10 h08:00–18:00'
    );
    expect(within(box).getByTestId(testIds.calendar.previewDay('2026-12-22'))).toHaveTextContent(
      '2026-12-22Tue7 h 30 min08:00–09:00, 11:30–18:0009:00–11:30 Maintenance (Patching)'
    );
    expect(within(box).getByTestId(testIds.calendar.previewDay('2026-12-25'))).toHaveTextContent(
      '2026-12-25Fri0 h–Christmas Day'
    );
    // The draft is sent as a calendar (no id or version), its exclusions as instants.
    expect(lastPreview().data).toEqual({ ...stored, id: undefined, version: undefined });
    fireEvent.change(screen.getByTestId(testIds.calendar.previewFrom), { target: { value: '2026-12-21' } });
    await waitFor(() => expect(lastPreview().url).toContain('calendars/preview?days=14&from=2026-12-21'));
  });

  it("shows the backend's refusal of the draft instead of the preview, at the window it names", async () => {
    await open('uk-support', [
      'POST calendars/preview',
      (r) =>
        (r.data as Calendar).hours[1].to === '08:00'
          ? {
              status: 400,
              data: {
                error:
                  'hours[1].to: 08:00 is the same as from: the window would be empty; for a whole day use from 00:00 to 24:00',
                field: 'hours[1].to',
              },
            }
          : { data: preview },
    ]);
    const box = screen.getByTestId(testIds.calendar.preview);
    await within(box).findByTestId(testIds.calendar.previewTotal);
    type('hours[1].to', '08:00');
    const refusal = await within(box).findByTestId(testIds.form.previewError);
    expect(refusal).toHaveTextContent('Not a valid calendar yet');
    expect(refusal).toHaveTextContent(
      'hours[1].to 08:00 is the same as from: the window would be empty; for a whole day use from 00:00 to 24:00'
    );
    expect(within(box).queryByTestId(testIds.calendar.previewTotal)).toBeNull();
    // The Tuesday window is marked in the grid with the same message.
    expect(
      within(screen.getByTestId(testIds.calendar.day('tue'))).getByText(
        '08:00 is the same as from: the window would be empty; for a whole day use from 00:00 to 24:00'
      )
    ).toBeInTheDocument();
    type('hours[1].to', '17:00');
    expect(await within(box).findByTestId(testIds.calendar.previewTotal)).toHaveTextContent('17 h 30 min');
    expect(within(screen.getByTestId(testIds.calendar.day('tue'))).queryByRole('alert')).toBeNull();
  });

  it('refuses an exclusion time it cannot read before sending it', async () => {
    await open('uk-support');
    await screen.findByTestId(testIds.calendar.previewTotal);
    const sent = previews().length;
    type('exclusions[1].to', '');
    const refusal = await screen.findByTestId(testIds.form.previewError);
    expect(refusal).toHaveTextContent('exclusions[1].to is missing: give a date and time');
    expect(screen.getByText('Exclusion 2: is missing: give a date and time')).toBeInTheDocument();
    expect(previews()).toHaveLength(sent);
  });

  it('lets a viewer read a calendar, without a preview or a save', async () => {
    mockFetch = fakeFetch([['GET registry/calendars/uk-support', { data: stored }]]);
    renderPage(<CalendarForm id="uk-support" />, { role: 'Viewer' });
    await screen.findByDisplayValue('UK support hours');
    expect(screen.getByText('Creating and changing calendars needs the Editor role.')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.form.save)).toBeDisabled();
    expect(screen.getByTestId(testIds.calendar.icsImport)).toBeDisabled();
    expect(screen.getByText('The preview needs the Editor role.')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 500));
    expect(previews()).toHaveLength(0);
  });
});

describe('CalendarsPage', () => {
  it('lists calendars with their time zone, weekly hours, holidays and exclusions', async () => {
    mockFetch = fakeFetch([['GET registry/calendars', { data: { items: [stored], total: 1, limit: 50, offset: 0 } }]]);
    renderPage(<CalendarsPage />);
    const row = await screen.findByTestId(testIds.list.row('calendars', 'uk-support'));
    expect(row).toHaveTextContent('UK support hoursService desk, EnglandEurope/London54 h12');
    expect(within(row).getByRole('link', { name: 'UK support hours' })).toHaveAttribute(
      'href',
      '/a/covenant-contracts-app/calendars/uk-support'
    );
  });
});

describe('the calendar draft', () => {
  it('reads local times in the zone, across a clock change', () => {
    expect(toLocalInput('2026-03-29T00:30:00Z', 'Europe/London')).toBe('2026-03-29T00:30');
    expect(toLocalInput('2026-03-29T01:30:00Z', 'Europe/London')).toBe('2026-03-29T02:30');
    expect(toLocalInput('2026-03-29T01:30:15Z', 'Europe/London')).toBe('2026-03-29T02:30:15');
    expect(fromLocalInput('2026-03-29T02:30', 'Europe/London')).toBe('2026-03-29T02:30:00+01:00');
    expect(fromLocalInput('2026-12-22T09:00', 'America/New_York')).toBe('2026-12-22T09:00:00-05:00');
    expect(fromLocalInput('2026-12-22T09:00:05', 'UTC')).toBe('2026-12-22T09:00:05+00:00');
    expect(fromLocalInput('2026-12-22 09:00', 'UTC')).toBeUndefined();
    // A zone the browser does not know reads UTC; the backend refuses the zone itself.
    expect(fromLocalInput('2026-12-22T09:00', 'Mars/Olympus')).toBe('2026-12-22T09:00:00+00:00');
  });

  it('sends a stored exclusion as it was read unless its time changed', () => {
    const d = toCalendarDraft(stored);
    expect(calendarBody(d).exclusions).toEqual(stored.exclusions);
    d.exclusions[0].from = '2026-12-22T08:00';
    expect(calendarBody(d).exclusions?.[0].from).toBe('2026-12-22T08:00:00+00:00');
    // The same wall clock in another zone is another instant.
    expect(calendarBody({ ...d, timezone: 'Europe/Berlin' }).exclusions?.[1].from).toBe('2026-06-10T10:00:00+02:00');
  });

  it('merges imported holidays by date', () => {
    expect(
      mergeHolidays(
        [{ date: '2026-12-25', name: 'Xmas' }],
        [
          { date: '2026-12-28', name: 'Boxing Day' },
          { date: '2026-12-25', name: 'Christmas Day' },
          { date: '2026-01-01', name: "New Year's Day" },
        ]
      )
    ).toEqual({
      holidays: [
        { date: '2026-12-25', name: 'Xmas' },
        { date: '2026-01-01', name: "New Year's Day" },
        { date: '2026-12-28', name: 'Boxing Day' },
      ],
      added: 2,
      skipped: 1,
    });
  });
});
