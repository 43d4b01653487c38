import { fromTargetDraft, timeZones, toTargetDraft } from './TargetEditor';

describe('target drafts', () => {
  it('turns a schedule date into local midnight in the tracker zone', () => {
    const t = fromTargetDraft(
      {
        kind: 'schedule',
        constant: '',
        steps: [
          { from: '2026-01-01', value: '99.5' },
          { from: '2026-07-01', value: '99.9' },
        ],
      },
      'Europe/London',
      'target'
    );
    // London is on GMT in January and on BST (UTC+1) in July.
    expect(t).toEqual({
      schedule: [
        { from: '2026-01-01T00:00:00.000Z', value: 99.5 },
        { from: '2026-06-30T23:00:00.000Z', value: 99.9 },
      ],
    });
    expect(toTargetDraft(t, 'Europe/London').steps).toEqual([
      { from: '2026-01-01', value: '99.5' },
      { from: '2026-07-01', value: '99.9' },
    ]);
  });

  it('keeps a constant', () => {
    expect(fromTargetDraft({ kind: 'constant', constant: '80', steps: [] }, 'UTC', 'target')).toEqual({ constant: 80 });
    expect(toTargetDraft({ constant: 80 }, 'UTC')).toEqual({ kind: 'constant', constant: '80', steps: [] });
  });

  it.each([
    [{ kind: 'constant' as const, constant: '', steps: [] }, 'targetOverride.constant', 'is empty: give a number'],
    [{ kind: 'constant' as const, constant: '9x', steps: [] }, 'targetOverride.constant', '“9x” is not a number'],
    [{ kind: 'schedule' as const, constant: '', steps: [] }, 'targetOverride.schedule', 'is empty'],
    [
      { kind: 'schedule' as const, constant: '', steps: [{ from: '', value: '1' }] },
      'targetOverride.schedule[0].from',
      'is not a date',
    ],
    [
      { kind: 'schedule' as const, constant: '', steps: [{ from: '2026-01-01', value: '' }] },
      'targetOverride.schedule[0].value',
      'is empty',
    ],
  ])('names the field of a bad target %#', (draft, field, message) => {
    expect(() => fromTargetDraft(draft, 'UTC', 'targetOverride')).toThrow(
      expect.objectContaining({ data: expect.objectContaining({ field, error: expect.stringContaining(message) }) })
    );
  });

  it('lists UTC first, then IANA zones', () => {
    const zones = timeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Europe/London');
  });
});
