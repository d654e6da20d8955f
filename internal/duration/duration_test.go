package duration

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"0": 0, "0s": 0, "90m": 90 * time.Minute, "720h": 720 * time.Hour, "1h30m": 90 * time.Minute,
		"30d": 30 * day, "1d12h": 36 * time.Hour, "2d30m": 2*day + 30*time.Minute, "0d": 0, "1d1.5h": day + 90*time.Minute,
	} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "30", "-5m", "-1d", "1d-1h", "1d+1h", "1.5d", "30 d", "1w", "99999d", "forever"} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseSigned(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"0s": 0, "90d": 90 * day, "-30d12h": -(30*day + 12*time.Hour), "2h": 2 * time.Hour, "-2h": -2 * time.Hour,
	} {
		if got, err := ParseSigned(in); err != nil || got != want {
			t.Errorf("ParseSigned(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", "--2h", "1d-1h", "-1d-1h", "soon", "5x", "d"} {
		if got, err := ParseSigned(in); err == nil {
			t.Errorf("ParseSigned(%q) = %v, want an error", in, got)
		}
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Minute: "1m", 90 * time.Minute: "1h30m", 36 * time.Hour: "36h", 2 * day: "2d",
		6*day + 20*time.Hour + 15*time.Minute: "6d20h15m", 3*day - 20*time.Second: "3d",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

// What Human writes, Parse reads back to the minute.
func FuzzHumanParse(f *testing.F) {
	for _, d := range []time.Duration{0, time.Minute, 36 * time.Hour, 90 * day} {
		f.Add(int64(d))
	}
	f.Fuzz(func(t *testing.T, n int64) {
		d := time.Duration(n)
		if d < 0 || d > maxDays*day {
			return
		}
		back, err := Parse(Human(d))
		if err != nil {
			t.Fatalf("Human(%v) = %q, which Parse refuses: %v", d, Human(d), err)
		}
		if diff := back - d; diff > time.Minute || diff < -time.Minute {
			t.Errorf("Human(%v) = %q reads back as %v", d, Human(d), back)
		}
	})
}
