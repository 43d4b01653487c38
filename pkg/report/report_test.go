package report

import (
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/compliance"
	"github.com/covenant/contracts/pkg/models"
)

// A report's dates are calendar days in each agreement's zone; instants with a time are kept.
func TestReportDatesOnTheAgreementsCalendar(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	to := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	if got := onCalendarOf(to, london); !got.Equal(time.Date(2026, 9, 30, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("1 Oct in London: %v", got)
	}
	// So the agreement's period holding the report's last instant is September there, not October.
	p, err := compliance.PeriodAt(models.ReviewPeriod{Kind: "month", Timezone: "Europe/London"}, onCalendarOf(to, london).Add(-time.Nanosecond))
	if err != nil || p.Start.In(london).Month() != time.September {
		t.Fatalf("period %v (%v)", p, err)
	}
	// Asuncion skipped midnight on 1 Oct 2023 (00:00 -04 became 01:00 -03): that day starts at
	// 01:00 -03 = 04:00Z, the instant September's period ends, not at 30 Sep 23:00 -04 (03:00Z),
	// which time.Date gave and which cut September's last hour out of a report ending on 1 Oct.
	asuncion, _ := time.LoadLocation("America/Asuncion")
	if got := onCalendarOf(time.Date(2023, 10, 1, 0, 0, 0, 0, time.UTC), asuncion); !got.Equal(time.Date(2023, 10, 1, 4, 0, 0, 0, time.UTC)) {
		t.Fatalf("1 Oct 2023 in Asuncion: %v", got)
	}
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	if got := onCalendarOf(at, london); !got.Equal(at) {
		t.Fatalf("an instant moved: %v", got)
	}
}
