package provider

import (
	"testing"
	"time"
)

func TestRotationWindow(t *testing.T) {
	created := time.Date(2031, 3, 1, 9, 0, 0, 123456789, time.UTC)
	s := &rotationSettings{lifetime: time.Hour, rotateBefore: 15 * time.Minute}
	expiry := s.expiry(created)
	if want := time.Date(2031, 3, 1, 10, 0, 0, 123000000, time.UTC); !expiry.Equal(want) {
		t.Errorf("expiry %s, want %s (milliseconds, as SolarNetwork keeps it)", expiry, want)
	}
	window := s.windowStart(created)
	for _, c := range []struct {
		at  time.Time
		due bool
	}{
		{created, false},
		{window.Add(-time.Millisecond), false},
		{window, true},
		{expiry, true},
		{expiry.Add(time.Hour), true},
	} {
		if got := s.due(created, c.at); got != c.due {
			t.Errorf("due at %s = %v, want %v", c.at, got, c.due)
		}
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		10 * time.Minute:                      "in 10m",
		-70 * time.Minute:                     "1h10m ago",
		47 * time.Hour:                        "in 47h",
		164*time.Hour + 15*time.Minute + 42e9: "in 6d20h16m",
		-(48 * time.Hour):                     "2d ago",
		30*24*time.Hour - 20*time.Second:      "in 30d",
		0:                                     "now",
	} {
		if got := relative(now.Add(d), now); got != want {
			t.Errorf("relative(%v) = %q, want %q", d, got, want)
		}
	}
}
