package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func TestMeasured(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	stats := filepath.Join(t.TempDir(), "stats.json")
	handler, stop := measured(sim.Handler(), 30*time.Millisecond, stats)
	srv := httptest.NewServer(handler)
	defer srv.Close()
	url := srv.URL
	start := time.Now()
	for range 2 {
		res, err := http.Get(url + "/solaruser/api/v1/sec/whoami")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	if took := time.Since(start); took < 60*time.Millisecond {
		t.Errorf("two requests took %v, want at least twice the latency", took)
	}
	stop()
	b, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]opCount
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	c := got["GET /solaruser/api/v1/sec/whoami"]
	if len(got) != 1 || c.Requests != 2 || c.Bytes == 0 {
		t.Errorf("stats %s", b)
	}
}
