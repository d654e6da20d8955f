package simulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// A clock offset moves everything SolarNetwork dates: the Date header, the
// signature dates it accepts and the created date of new tokens.
func TestClockOffset(t *testing.T) {
	h := newControlHarness(t, Options{})
	whoami := "/solaruser/api/v1/sec/whoami"
	status, header, _ := h.do(call{method: http.MethodGet, path: whoami})
	if date, err := http.ParseTime(header.Get("Date")); status != http.StatusOK || err != nil || !date.Equal(h.clock.Now().Truncate(time.Second)) {
		t.Fatalf("status %d, Date %q, want the simulator's clock %v", status, header.Get("Date"), h.clock.Now())
	}

	if code, body := h.ctl(http.MethodPut, "/_sim/clock", `{"offset":"80d"}`); code != http.StatusOK {
		t.Fatalf("PUT /_sim/clock: %d %s", code, body)
	}
	later := h.clock.Now().Add(80 * 24 * time.Hour)
	status, header, body := h.do(call{method: http.MethodGet, path: whoami}) // dated by the client's clock
	if status != http.StatusForbidden || header.Get("X-SN-ErrorMessage") != msgDateSkew {
		t.Errorf("a request dated 80 days early: %d %s", status, body)
	}
	if date, _ := http.ParseTime(header.Get("Date")); !date.Equal(later.Truncate(time.Second)) {
		t.Errorf("Date %q, want %v", header.Get("Date"), later)
	}
	sp := signSpec{id: h.id, secret: h.secret, date: later}
	if status, _, body := h.do(call{method: http.MethodGet, path: whoami, sp: &sp}); status != http.StatusOK {
		t.Errorf("a request dated by the moved clock: %d %s", status, body)
	}
	if tok := h.sim.CreateToken(TypeReadNodeData, nil); !tok.Created.Equal(roundCreated(later)) {
		t.Errorf("created %v, want %v", tok.Created, later)
	}

	code, out := h.ctl(http.MethodGet, "/_sim/clock", "")
	var got clockJSON
	if err := json.Unmarshal([]byte(out), &got); code != http.StatusOK || err != nil || got.Offset != (80*24*time.Hour).String() || !got.Now.Equal(later) {
		t.Errorf("GET /_sim/clock: %d %s", code, out)
	}
	if code, _ := h.ctl(http.MethodPut, "/_sim/clock", `{"offset":"soon"}`); code != http.StatusBadRequest {
		t.Errorf("a bad offset: %d", code)
	}
}

func TestParseOffset(t *testing.T) {
	for text, want := range map[string]time.Duration{
		"0s": 0, "90d": 90 * 24 * time.Hour, "-30d12h": -(30*24 + 12) * time.Hour, "2h": 2 * time.Hour, "-2h": -2 * time.Hour, "1d-1h": 0,
	} {
		got, err := ParseOffset(text)
		if text == "1d-1h" {
			if err == nil {
				t.Errorf("%q accepted as %v", text, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %v, %v; want %v", text, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "5x", "d"} {
		if _, err := ParseOffset(bad); err == nil {
			t.Errorf("ParseOffset(%q) accepted", bad)
		}
	}
}
