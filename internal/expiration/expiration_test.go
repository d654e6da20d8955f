package expiration

import (
	"strings"
	"testing"
	"time"
)

func TestResolveExpiration(t *testing.T) {
	cases := []struct {
		date, zone, want string
	}{
		{"2027-10-30", "", "2027-10-30T00:00:00Z"},
		{"2027-10-30", "UTC", "2027-10-30T00:00:00Z"},
		{"2027-10-30T12:45", "", "2027-10-30T12:45:00Z"},
		{"2027-10-30T12:45:00", "", "2027-10-30T12:45:00Z"},
		{"2027-10-30 12:45:00.250", "", "2027-10-30T12:45:00.25Z"},
		// The s10k manual's cross-check: midnight in Auckland daylight time.
		{"2025-09-30", "Pacific/Auckland", "2025-09-29T11:00:00Z"},
		{"2027-10-30T12:45", "-05:00", "2027-10-30T17:45:00Z"},
		{"2027-10-30T12:45:00+13:00", "America/New_York", "2027-10-29T23:45:00Z"},
		{"2027-10-30T12:45:00Z", "", "2027-10-30T12:45:00Z"},
	}
	for _, c := range cases {
		got, err := Resolve(c.date, c.zone)
		if err != nil {
			t.Errorf("Resolve(%q, %q): %v", c.date, c.zone, err)
			continue
		}
		if s := FormatInstant(got); s != c.want {
			t.Errorf("Resolve(%q, %q) = %s, want %s", c.date, c.zone, s, c.want)
		}
	}
	if got, _ := Resolve("2025-09-30", "Pacific/Auckland"); got.UnixMilli() != 1759143600000 {
		t.Errorf("notAfter = %d, want the s10k list example's 1759143600000", got.UnixMilli())
	}
}

func TestResolveExpirationErrors(t *testing.T) {
	cases := []struct{ date, zone, want string }{
		{"30/10/2027", "", "not a valid date"},
		{"2027-13-01", "", "not a valid date"},
		{"2027-10-30", "Mars/Olympus", "not a known time zone"},
		{"2027-10-30", "Local", "not allowed"},
		{"2027-10-30", "+25:00", "not a valid offset"},
		{"2027-10-30", "+18:01", "not a valid offset"},
		{"2027-10-30", "localtime", "not allowed"},
		{"2027-10-30", "right/Europe/Berlin", "not allowed"},
		{"2027-10-30T12:45:00.1234Z", "", "more precise"},
		{"2027-10-30T12:45:00.1234", "", "more precise"},
		{"1969-12-31", "", "not after 1970-01-01"},
		{"9999-12-31T23:00:00-05:00", "", "after 9999-12-31"},
	}
	for _, c := range cases {
		_, err := Resolve(c.date, c.zone)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Resolve(%q, %q) error = %v, want containing %q", c.date, c.zone, err, c.want)
		}
	}
}

func TestFormatCreatedKeepsMicroseconds(t *testing.T) {
	ts := time.Date(2025, 9, 29, 3, 52, 13, 248687000, time.UTC)
	if got := FormatCreated(ts); got != "2025-09-29T03:52:13.248687Z" {
		t.Errorf("FormatCreated = %s", got)
	}
}
