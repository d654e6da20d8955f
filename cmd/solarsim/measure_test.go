package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func TestServeMeasured(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	stats := filepath.Join(t.TempDir(), "stats.json")
	url, stop, err := serveMeasured(sim, "127.0.0.1:0", 30*time.Millisecond, stats)
	if err != nil {
		t.Fatal(err)
	}
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
