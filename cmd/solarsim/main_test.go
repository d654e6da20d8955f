package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true,
		"127.0.0.1:0":    true,
		"[::1]:8080":     true,
		"localhost:8080": true,
		":8080":          false,
		"0.0.0.0:8080":   false,
		"192.168.1.2:80": false,
		"example.com:80": false,
		"127.0.0.1":      false, // no port
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v", addr, err)
		}
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-token", "abc"},
		{"-secret", "abc"},
		{"-listen", "0.0.0.0:0"},
		{"-user-id", "0"},
		{"-node-ids", "1,x"},
		{"-node-ids", "0"},
		{"-node-ids", "5-3"},
		{"-node-ids", "1-"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	c, err := parseFlags([]string{"-token", "t", "-secret", "s", "-user-id", "5", "-node-ids", "1, 2"}, io.Discard)
	if err != nil || c.userID != 5 || len(c.nodeIDs) != 2 || c.listen != "127.0.0.1:0" {
		t.Errorf("%+v %v", c, err)
	}
	c, err = parseFlags([]string{"-node-ids", "7,100-102"}, io.Discard)
	if err != nil || !slices.Equal(c.nodeIDs, []int64{7, 100, 101, 102}) {
		t.Errorf("ranges: %v %v", c.nodeIDs, err)
	}
	if c, err = parseFlags(nil, io.Discard); err != nil || c.nodeIDs != nil {
		t.Errorf("default: %v %v (nil means the simulator's default nodes)", c.nodeIDs, err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"abc-._XYZ09":           "abc-._XYZ09",
		"http://127.0.0.1:8080": "http://127.0.0.1:8080",
		"a b":                   "'a b'",
		"it's":                  `'it'\''s'`,
		"$x":                    "'$x'",
		"":                      "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready.env")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-token", "abcdefghij0123456789", "-secret", "my secret", "-ready-file", ready}, &out, io.Discard)
	}()
	var content []byte
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(ready)
		if err == nil {
			content = b
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("ready file not written")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if string(content) != out.String() {
		t.Errorf("ready file %q differs from stdout %q", content, out.String())
	}
	lines := strings.Split(strings.TrimSpace(string(content)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SOLARNETWORK_URL=http://127.0.0.1:") ||
		lines[1] != "SOLARNETWORK_TOKEN=abcdefghij0123456789" || lines[2] != "SOLARNETWORK_SECRET='my secret'" {
		t.Fatalf("output %q", lines)
	}
	if fi, err := os.Stat(ready); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("ready file mode %v %v", fi.Mode(), err)
	}
	url := strings.TrimPrefix(lines[0], "SOLARNETWORK_URL=")
	res, err := http.Get(url + "/solaruser/api/v1/sec/whoami")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("status %d", res.StatusCode)
	}
	checkSignedRequests(t, url, "abcdefghij0123456789", "my secret")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop")
	}
	if _, err := os.Stat(ready); !os.IsNotExist(err) {
		t.Error("ready file not removed on shutdown")
	}
	if _, err := http.Get(url + "/"); err == nil {
		t.Error("still serving")
	}
}

// checkSignedRequests drives the running solarsim with the provider's own
// SNWS2 signer, written apart from the simulator's verifier: the printed
// credentials work, and a wrong signature or a stale date get SolarNetwork's
// status codes and bodies.
func checkSignedRequests(t *testing.T, url, token, secret string) {
	t.Helper()
	ctx := context.Background()
	c, err := client.New(client.Config{URL: url, Token: token, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.WhoAmI(ctx)
	if err != nil || id.Token != token || id.TokenType != "User" {
		t.Fatalf("whoami with the printed credentials: %+v %v", id, err)
	}
	if _, err := c.ListTokens(ctx); err != nil {
		t.Fatalf("list with the printed credentials: %v", err)
	}

	wantBody := map[string]string{
		"wrong secret": `{"success":false,"message":"Bad credentials"}`,
		"stale date":   `{"success":false,"message":"Date skew too large"}`,
	}
	for name, tc := range map[string]struct {
		secret string
		date   time.Time
	}{
		"wrong secret": {secret: "not " + secret, date: time.Now()},
		"stale date":   {secret: secret, date: time.Now().Add(-16 * time.Minute)},
	} {
		req, _ := http.NewRequest(http.MethodGet, url+"/solaruser/api/v1/sec/user/auth-tokens", nil)
		date := tc.date.UTC().Truncate(time.Second)
		req.Header.Set("X-SN-Date", date.Format(http.TimeFormat))
		signed := []string{"host", "x-sn-date"}
		canonical := client.CanonicalRequest(req.Method, req.URL.Path, nil, http.Header{"Host": {req.URL.Host}, "X-Sn-Date": {req.Header.Get("X-SN-Date")}}, signed, client.EmptyBodySHA256Hex)
		sig := client.Signature(client.SigningKey(tc.secret, date), client.StringToSign(date, canonical))
		req.Header.Set("Authorization", client.AuthorizationHeader(token, signed, sig))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusForbidden || string(body) != wantBody[name] {
			t.Errorf("%s: %d %s, want 403 %s", name, res.StatusCode, body, wantBody[name])
		}
	}
}
