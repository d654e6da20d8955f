package validate

import (
	"archive/zip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

// Seeds: testdata/fuzz/FuzzResolveExpiration. Terraform strings are UTF-8,
// so other input is skipped.
func FuzzResolveExpiration(f *testing.F) {
	f.Fuzz(func(t *testing.T, date, zone string) {
		if !utf8.ValidString(date) || !utf8.ValidString(zone) {
			t.Skip()
		}
		got, err := expiration.Resolve(date, zone)
		if err != nil {
			return
		}
		// expiration_date's validator knows no zone: it must not refuse a
		// date that resolves in the configured one.
		if msg := validateString(ExpirationDate(), "expiration_date", date); msg != "" {
			t.Errorf("the validator refuses %q, which resolves in zone %q: %s", date, zone, msg)
		}
		if got.Location() != time.UTC || got.Nanosecond()%int(time.Millisecond) != 0 {
			t.Fatalf("expiration.Resolve(%q, %q) = %v: not milliseconds in UTC, as SolarNetwork stores it", date, zone, got)
		}
		// expires_at, and expiration_date after drift, are formatInstant's
		// output: it must read back as the same instant, in any zone.
		s := expiration.FormatInstant(got)
		back, err := expiration.Resolve(s, zone)
		if err != nil || !back.Equal(got) || expiration.FormatInstant(back) != s {
			t.Fatalf("%q resolves to %s, which reads back as %v (%v)", date, s, back, err)
		}
		// SolarNetwork keeps it: the client's policy JSON, as the simulator
		// reads and returns it, has the same notAfter.
		held := simulatorRoundTrip(t, client.SecurityPolicy{NotAfter: &got})
		if held.NotAfter == nil || !held.NotAfter.Equal(got) {
			t.Fatalf("%q resolves to %s, but SolarNetwork holds notAfter %v", date, s, held.NotAfter)
		}
	})
}

// offsetForm is a fixed offset such as "-05:00".
var offsetForm = regexp.MustCompile(`^[+-]\d{2}:\d{2}$`)

// Seeds: testdata/fuzz/FuzzTimeZone.
func FuzzTimeZone(f *testing.F) {
	zones := embeddedZoneNames(f)
	f.Fuzz(func(t *testing.T, zone string) {
		if !utf8.ValidString(zone) {
			t.Skip()
		}
		loc, err := expiration.ParseTimeZone(zone)
		msg := validateString(TimeZone(), "time_zone", zone)
		// An unset time_zone means UTC, but one written empty is refused:
		// it would silently mean UTC.
		if zone == "" {
			if err != nil || msg == "" {
				t.Fatalf("empty time_zone: parseTimeZone error %v, validator %q", err, msg)
			}
			return
		}
		if (err == nil) != (msg == "") {
			t.Fatalf("expiration.ParseTimeZone(%q) error %v, but the validator says %q", zone, err, msg)
		}
		if err != nil {
			return
		}
		if loc == time.Local {
			t.Fatalf("%q resolves to the machine's zone", zone)
		}
		switch {
		case zone == "" || zone == "UTC" || zone == "Z":
		case offsetForm.MatchString(zone):
			sign := 1
			if zone[0] == '-' {
				sign = -1
			}
			h, _ := strconv.Atoi(zone[1:3])
			m, _ := strconv.Atoi(zone[4:6])
			want := sign * (h*3600 + m*60)
			if want > 18*3600 || want < -18*3600 {
				t.Fatalf("%q is outside -18:00 to +18:00", zone)
			}
			if _, off := time.Date(2027, 1, 1, 0, 0, 0, 0, loc).Zone(); off != want {
				t.Fatalf("%q has offset %d s, want %d s", zone, off, want)
			}
		case !zones[zone]:
			// The machine's own zone files may hold more (localtime,
			// posixrules, right/...): plans would differ between machines.
			t.Fatalf("%q is accepted but is not a zone of Go's embedded zone data", zone)
		}
	})
}

// embeddedZoneNames lists the zones of $GOROOT/lib/time/zoneinfo.zip, the
// data time/tzdata embeds.
func embeddedZoneNames(tb testing.TB) map[string]bool {
	tb.Helper()
	names, err := zoneNames()
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

var zoneNames = sync.OnceValues(func() (map[string]bool, error) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	r, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		return nil, err
	}
	defer func() { _ = r.Close() }()
	names := make(map[string]bool, len(r.File))
	for _, f := range r.File {
		names[f.Name] = true
	}
	return names, nil
})
