package simulator

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewDefaults(t *testing.T) {
	sim := New(Options{})
	id, secret := sim.AdminCredentials()
	if !regexp.MustCompile(`^[0-9A-Za-z._-]{20}$`).MatchString(id) || !regexp.MustCompile(`^[0-9A-Za-z._-]{24,31}$`).MatchString(secret) {
		t.Errorf("credentials %q %q", id, secret)
	}
	tok, ok := sim.Token(id)
	if !ok || tok.UserID != DefaultUserID || tok.Type != TypeUser || tok.Status != StatusActive || tok.Policy != nil || tok.Secret != secret {
		t.Errorf("admin token %+v", tok)
	}
	if sim.URL() != "" {
		t.Error("URL before Start")
	}
	sim2 := New(Options{UserID: 7, AdminTokenID: "id", AdminSecret: "secret"})
	if id, secret := sim2.AdminCredentials(); id != "id" || secret != "secret" {
		t.Error("explicit credentials ignored")
	}
}

func TestLifecycle(t *testing.T) {
	sim := New(Options{})
	u := sim.Start()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || sim.URL() != u {
		t.Fatalf("URL %q / %q", u, sim.URL())
	}
	if _, err := sim.StartOn("127.0.0.1:0"); err == nil {
		t.Error("second start accepted")
	}
	res, err := http.Get(u + "/solaruser/api/v1/sec/whoami")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("status %d", res.StatusCode)
	}
	sim.Close()
	sim.Close()
	if _, err := http.Get(u + "/"); err == nil {
		t.Error("still serving after Close")
	}
}

func TestFormatCreated(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 9, 29, 3, 52, 13, 248687000, time.UTC), "2025-09-29 03:52:13.248687Z"},
		{time.Date(2025, 9, 29, 4, 5, 46, 562370000, time.UTC), "2025-09-29 04:05:46.56237Z"},
		{time.Date(2025, 9, 29, 4, 5, 46, 0, time.UTC), "2025-09-29 04:05:46Z"},
		{time.Date(2025, 9, 29, 14, 5, 46, 0, time.FixedZone("NZDT", 13*3600)), "2025-09-29 01:05:46Z"},
	} {
		if got := formatCreated(tc.t); got != tc.want {
			t.Errorf("formatCreated(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
	if got := roundCreated(time.Date(2025, 9, 29, 3, 52, 13, 248686631, time.UTC)); got.Nanosecond() != 248687000 {
		t.Errorf("roundCreated %v", got)
	}
	if got := roundCreated(time.Date(2025, 9, 29, 3, 52, 13, 248686500, time.UTC)); got.Nanosecond() != 248687000 {
		t.Errorf("roundCreated half %v", got)
	}
}

func TestOutOfBandEdits(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.sim.CreateToken(TypeReadNodeData, &Policy{SourceIDs: []string{"a", "a"}, Aggregations: []string{"d"}})
	if tok.Secret == "" || !reflectEqualStrings(tok.Policy.SourceIDs, []string{"a"}) || !reflectEqualStrings(tok.Policy.Aggregations, []string{"Day"}) {
		t.Errorf("created %+v %+v", tok, tok.Policy)
	}
	if err := h.sim.MergePolicy(tok.ID, &Policy{SourceIDs: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.SetInfo(tok.ID, "name", " "); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.SetInfo(tok.ID, strings.Repeat("x", 129), ""); err == nil {
		t.Error("long name accepted")
	}
	if err := h.sim.SetStatus(tok.ID, "Paused"); err == nil {
		t.Error("bad status accepted")
	}
	_, _, body := h.do(call{method: "GET", path: tokensURL})
	if !strings.Contains(body, `"name":"name","status":"Active","type":"ReadNodeData","policy":{"sourceIds":["a","b"],"aggregations":["Day"]}`) {
		t.Errorf("list after edits: %s", body)
	}
	if err := h.sim.SetPolicy(tok.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.sim.Token(tok.ID); got.Policy != nil {
		t.Error("SetPolicy(nil) should remove the policy")
	}
	// copies are deep
	got, _ := h.sim.Token(h.id)
	got.Name = "changed"
	if again, _ := h.sim.Token(h.id); again.Name != "" {
		t.Error("Token returned shared memory")
	}
	h.sim.DeleteToken(tok.ID)
	h.sim.DeleteToken(tok.ID)
	for _, err := range []error{
		h.sim.SetPolicy(tok.ID, nil), h.sim.MergePolicy(tok.ID, nil), h.sim.SetStatus(tok.ID, StatusActive), h.sim.SetInfo(tok.ID, "", ""),
	} {
		if !errors.Is(err, ErrUnknownToken) {
			t.Errorf("got %v, want ErrUnknownToken", err)
		}
	}
	if n := len(h.sim.Tokens()); n != 1 {
		t.Errorf("%d tokens", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("CreateToken with a bad type should panic")
		}
	}()
	h.sim.CreateToken("Admin", nil)
}

func reflectEqualStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// TestConcurrentUse exercises the locks under the race detector.
func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			tok := h.sim.CreateToken(TypeReadNodeData, nil)
			h.do(call{method: "GET", path: tokensURL})
			h.do(call{method: "PATCH", path: tokensURL + "/policy", query: map[string][]string{"tokenId": {tok.ID}},
				contentType: "application/json", body: `{"sourceIds":["x"]}`})
			_ = h.sim.SetStatus(tok.ID, StatusDisabled)
			_ = h.sim.Count("", "")
			if i%2 == 0 {
				h.sim.InjectFault(Fault{Path: "/nothing"})
			}
		})
	}
	wg.Wait()
}

func TestLoggerNeverLogsSecrets(t *testing.T) {
	var buf bytes.Buffer
	h := newHarness(t, Options{Logger: log.New(&buf, "", 0)})
	_, _, body := h.do(call{method: "POST", path: tokensURL + "/generate/User"})
	if !strings.Contains(buf.String(), "POST "+tokensURL+"/generate/User 200 token="+h.id) {
		t.Errorf("log: %s", buf.String())
	}
	if strings.Contains(buf.String(), h.secret) || !strings.Contains(body, "authSecret") {
		t.Error("secret in log")
	}
}

// BenchmarkRoundTrip measures one signed list request against a started
// simulator.
func BenchmarkRoundTrip(b *testing.B) {
	clock := newFakeClock()
	sim := New(Options{Now: clock.Now})
	base := sim.Start()
	defer sim.Close()
	for range 10 {
		sim.CreateToken(TypeReadNodeData, &Policy{SourceIDs: []string{"/a/**"}})
	}
	id, secret := sim.AdminCredentials()
	client := &http.Client{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req, err := http.NewRequest("GET", base+tokensURL, nil)
		if err != nil {
			b.Fatal(err)
		}
		sign(req, nil, signSpec{id: id, secret: secret, date: clock.Now()})
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
