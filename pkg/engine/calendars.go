package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/covenant/contracts/pkg/calendar"
	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// maxCompiledCalendars bounds the engine's cache of compiled calendars; past
// it the cache starts afresh.
const maxCompiledCalendars = 64

// calendarKey names one version of a calendar: an edit bumps its version, and
// a calendar deleted and made again has another update time.
type calendarKey struct {
	id      string
	version int64
	updated int64
}

// compiled returns the calendar compiled, compiling it once per version: a
// compiled calendar keeps the blocks of working time it has built, so queries
// that follow it share them.
func (e *Engine) compiled(c *calendar.Calendar) (*calendar.Compiled, error) {
	key := calendarKey{id: c.ID, version: c.Version, updated: c.UpdatedAt.UnixNano()}
	e.calMu.Lock()
	cc, ok := e.calendars[key]
	e.calMu.Unlock()
	if ok {
		return cc, nil
	}
	cc, err := calendar.Compile(c)
	if err != nil {
		return nil, err
	}
	e.calMu.Lock()
	defer e.calMu.Unlock()
	if prev, ok := e.calendars[key]; ok {
		return prev, nil // compiled meanwhile by another query: share its blocks
	}
	if e.calendars == nil || len(e.calendars) >= maxCompiledCalendars {
		e.calendars = map[calendarKey]*calendar.Compiled{}
	}
	e.calendars[key] = cc
	return cc, nil
}

// compileTracker compiles a tracker definition (kpi.Compile) and resolves the
// service calendar it follows from the registry, returning it too, as it is
// and compiled (nil without one). field prefixes error field names.
func (e *Engine) compileTracker(ctx context.Context, def models.TrackerDef, field string) (*kpi.Tracker, *calendar.Calendar, *calendar.Compiled, error) {
	t, err := kpi.Compile(def, field)
	if err != nil || def.CalendarID == "" {
		return t, nil, nil, err
	}
	cal, cc, err := e.compiledCalendar(ctx, def.CalendarID, field+".calendarId")
	if err != nil {
		return nil, nil, nil, err
	}
	t.Working = cc.Working
	if def.WorkingTimeOnly {
		t.Keep, t.KeepVersion = cc.At, calendarVersion(cal)
	}
	return t, cal, cc, nil
}

// MaxShadedIntervals bounds the non-working intervals a tracker's series
// carries for its chart to shade (Shading.OffHours); past it only the
// buckets without working time are shaded.
const MaxShadedIntervals = 2000

// Shading is what a chart of a tracker on a service calendar shades over the
// series' buckets: the calendar's non-working time and its exclusions.
type Shading struct {
	// CalendarID and CalendarName name the calendar.
	CalendarID, CalendarName string
	// From and To are the span of the series' buckets the rest is clipped to.
	From, To time.Time
	// OffHours is the time not working in [From, To) (calendar.OffHours),
	// when it is at most MaxShadedIntervals intervals; else nil and
	// Complete is false.
	OffHours []calendar.Interval
	Complete bool
	// Excluded are the calendar's exclusions that meet [From, To), clipped to it.
	Excluded []calendar.Exclusion
}

// shading is the chart's shading of buckets [from, to) on a calendar.
func shading(cal *calendar.Calendar, cc *calendar.Compiled, from, to time.Time) *Shading {
	off, complete := cc.OffHours(from, to, MaxShadedIntervals)
	return &Shading{CalendarID: cal.ID, CalendarName: cal.Name, From: from, To: to,
		OffHours: off, Complete: complete, Excluded: cc.Excluded(from, to)}
}

// business is how a business-time KPI's rows are measured: the business time
// from each row's time to its end under the KPI's calendar (nil for other
// KPIs), by its Working in process or from its working windows in the
// database. field names the tracker in errors.
func (e *Engine) business(ctx context.Context, k models.KPIDef, field string) (*connector.Business, error) {
	if k.BusinessTime == nil {
		return nil, nil
	}
	cal, cc, err := e.compiledCalendar(ctx, k.BusinessTime.CalendarID, field+".kpi.businessTime.calendarId")
	if err != nil {
		return nil, err
	}
	return &connector.Business{Working: cc.Working, Windows: cc.Windows, Per: k.BusinessTime.Per(), Calendar: calendarVersion(cal)}, nil
}

// goalClock is how an occurrence tracker's open requests are timed against
// their goal: in business time under the KPI's calendar for a business-time
// KPI (returned too), else in elapsed time. field names the tracker in errors.
func (e *Engine) goalClock(ctx context.Context, def models.TrackerDef, field string) (compliance.GoalClock, *calendar.Calendar, error) {
	b := def.KPI.BusinessTime
	if b == nil {
		return compliance.WallClock(def.KPI.Unit), nil, nil
	}
	cal, cc, err := e.compiledCalendar(ctx, b.CalendarID, field+".kpi.businessTime.calendarId")
	if err != nil {
		return compliance.GoalClock{}, nil, err
	}
	return compliance.GoalClock{Per: b.Per(), Working: cc.Working}, cal, nil
}

// keep is what rows a tracker reads: those in working time when it counts
// only working time (nil: all). field names the tracker in errors.
func (e *Engine) keep(ctx context.Context, def models.TrackerDef, field string) (func(time.Time) bool, error) {
	if !def.WorkingTimeOnly {
		return nil, nil
	}
	_, cc, err := e.compiledCalendar(ctx, def.CalendarID, field+".calendarId")
	if err != nil {
		return nil, err
	}
	return cc.At, nil
}

// compiledCalendar finds a registry calendar by id and compiles it (once per
// version); field names the id in errors.
func (e *Engine) compiledCalendar(ctx context.Context, id, field string) (*calendar.Calendar, *calendar.Compiled, error) {
	cal, err := e.calendar(ctx, id, field)
	if err != nil {
		return nil, nil, err
	}
	cc, err := e.compiled(cal)
	if err != nil {
		return nil, nil, fmt.Errorf("calendar %q does not compile (%w): fix it on the Calendars page", cal.ID, err)
	}
	return cal, cc, nil
}

// calendar finds a registry calendar by id; field names the id in errors.
func (e *Engine) calendar(ctx context.Context, id, field string) (*calendar.Calendar, error) {
	if e.Registry == nil {
		return nil, models.QueryFieldError(field, fmt.Sprintf("names the calendar %q, but this datasource's registry is not available: check its store settings, or remove %s", id, field))
	}
	snap, err := e.Registry.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	cal, ok := snap.Calendars[id]
	if !ok {
		return nil, models.QueryFieldError(field, fmt.Sprintf("there is no calendar %q in the registry: pick one on the Calendars page, or remove %s", id, field))
	}
	return cal, nil
}

// calendarVersion names one version of a calendar (as calendarKey does).
func calendarVersion(c *calendar.Calendar) string {
	return fmt.Sprintf("%s@%d@%d", c.ID, c.Version, c.UpdatedAt.UnixNano())
}
