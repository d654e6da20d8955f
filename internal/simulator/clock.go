package simulator

import (
	"fmt"
	"net/http"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// SetClockOffset moves SolarNetwork's notion of now by d from the clock the
// simulator was made with: token expiry and `expired`, the created date of
// new tokens, signature dates and the signing keys they need, and the Date
// header of every answer. A client whose own clock then differs by 15
// minutes or more is refused with "Date skew too large", as SolarNetwork
// refuses one; the provider adopts the clock of that answer's Date header
// (solarnetwork-api.md §3). A rotation of 90 days can so be rehearsed in
// seconds.
func (s *Simulator) SetClockOffset(d time.Duration) { s.clockOffset.Store(int64(d)) }

// ClockOffset returns the offset SetClockOffset set.
func (s *Simulator) ClockOffset() time.Duration { return time.Duration(s.clockOffset.Load()) }

// offsetClock is base moved by the simulator's clock offset.
func (s *Simulator) offsetClock(base func() time.Time) func() time.Time {
	return func() time.Time { return base().Add(s.ClockOffset()) }
}

// dateHeader sets the Date header from the simulator's clock, as
// SolarNetwork's server sets it from its own.
func (s *Simulator) dateHeader(w http.ResponseWriter) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
}

// ParseOffset reads a clock offset: a Go duration, optionally led by whole
// days and by "-" ("90d", "-30d12h", "2h").
func ParseOffset(text string) (time.Duration, error) {
	if text == "" {
		return 0, fmt.Errorf("an empty offset: use \"0s\" for none")
	}
	d, err := duration.ParseSigned(text)
	if err != nil {
		return 0, fmt.Errorf("%q is not an offset such as \"90d\", \"-1d12h\" or \"2h\"", text)
	}
	return d, nil
}
