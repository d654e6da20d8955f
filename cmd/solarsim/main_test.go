package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
		{"-archived-node-ids", "x"},
		{"-port", "70000"},
		{"-port", "8080", "-listen", "127.0.0.1:9090"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	c, err := parseFlags([]string{"-token", "t", "-secret", "s", "-user-id", "5", "-node-ids", "1, 2"}, io.Discard)
	if err != nil || c.userID != 5 || !c.userIDSet || len(c.nodeIDs) != 2 || c.listen != "127.0.0.1:0" {
		t.Errorf("%+v %v", c, err)
	}
	c, err = parseFlags([]string{"-node-ids", "7,100-102"}, io.Discard)
	if err != nil || !slices.Equal(c.nodeIDs, []int64{7, 100, 101, 102}) {
		t.Errorf("ranges: %v %v", c.nodeIDs, err)
	}
	c, err = parseFlags([]string{"-archived-node-ids", "300-301"}, io.Discard)
	if err != nil || !slices.Equal(c.archived, []int64{300, 301}) {
		t.Errorf("archived: %v %v", c.archived, err)
	}
	if c, err = parseFlags(nil, io.Discard); err != nil || c.nodeIDs != nil {
		t.Errorf("default: %v %v (nil means the simulator's default nodes)", c.nodeIDs, err)
	}
	c, err = parseFlags([]string{"-port", "8080", "-state", "s.json", "-env-file", "e.env"}, io.Discard)
	if err != nil || c.listen != "127.0.0.1:8080" || c.stateFile != "s.json" || c.envFile != "e.env" || c.userIDSet {
		t.Errorf("%+v %v", c, err)
	}
}

func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &out); err != flag.ErrHelp {
		t.Fatalf("-h: %v", err)
	}
	help := out.String()
	for _, want := range []string{`eval "$(solarsim &)"`, "-port port", "-state path", "-env-file path", "-node-ids ids",
		"-token id", "-secret secret", "-user-id id", "-listen address", "without SNWS2", "loopback only",
		"PATCH  /_sim/tokens/{id}/policy", "POST   /_sim/faults", "GET    /_sim/requests"} {
		if !strings.Contains(help, want) {
			t.Errorf("solarsim -h lacks %q:\n%s", want, help)
		}
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

// lineSignal is a writer that closes seen once a line written to it starts
// with prefix.
type lineSignal struct {
	prefix string
	seen   chan struct{}
	once   sync.Once
}

func (w *lineSignal) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), w.prefix) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

// startRun runs solarsim in the background with args and returns its
// export lines once the env file is written, and a stop function.
func startRun(t *testing.T, args ...string) (lines map[string]string, stop func()) {
	t.Helper()
	env := filepath.Join(t.TempDir(), "solarsim.env")
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	serving := &lineSignal{prefix: "solarsim: serving", seen: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "-env-file", env), &out, serving) }()
	// run announces it is serving on stderr once the env file is written.
	select {
	case <-serving.seen:
	case err := <-done:
		t.Fatalf("solarsim stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("solarsim did not start serving")
	}
	content, err := os.ReadFile(env)
	if err != nil {
		t.Fatalf("env file not written: %v", err)
	}
	if string(content) != out.String() {
		t.Errorf("env file %q differs from stdout %q", content, out.String())
	}
	if fi, err := os.Stat(env); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("env file mode %v %v", fi.Mode(), err)
	}
	lines = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(content)), "\n") {
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok || !strings.HasPrefix(line, "export ") {
			t.Fatalf("line %q is not an export", line)
		}
		lines[name] = value
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("run did not stop")
		}
		if _, err := os.Stat(env); !os.IsNotExist(err) {
			t.Error("env file not removed on shutdown")
		}
	}
	t.Cleanup(stop)
	return lines, stop
}

func TestRun(t *testing.T) {
	lines, stop := startRun(t, "-token", "abcdefghij0123456789", "-secret", "my secret")
	if len(lines) != 4 || !strings.HasPrefix(lines["SOLARNETWORK_URL"], "http://127.0.0.1:") ||
		lines["SOLARNETWORK_TOKEN"] != "abcdefghij0123456789" || lines["SOLARNETWORK_SECRET"] != "'my secret'" ||
		lines["SOLARSIM_PID"] != strconv.Itoa(os.Getpid()) {
		t.Fatalf("output %q", lines)
	}
	url := lines["SOLARNETWORK_URL"]
	res, err := http.Get(url + "/solaruser/api/v1/sec/whoami")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("status %d", res.StatusCode)
	}
	checkSignedRequests(t, url, "abcdefghij0123456789", "my secret")
	// The control API is served beside the API, without SNWS2.
	res, err = http.Get(url + "/_sim/tokens")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"id": "abcdefghij0123456789"`) || strings.Contains(string(body), "my secret") {
		t.Errorf("GET /_sim/tokens: %d %s", res.StatusCode, body)
	}
	stop()
	if _, err := http.Get(url + "/"); err == nil {
		t.Error("still serving")
	}
}

// TestStateSurvivesRestart restarts solarsim on the same state file: the
// tokens, their secrets and the admin credentials are the same.
func TestStateSurvivesRestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	first, stop := startRun(t, "-state", state, "-user-id", "77")
	created := controlCreate(t, first["SOLARNETWORK_URL"], `{"type":"User","name":"Dashboard","policy":{"nodeIds":[100]}}`)
	stop()

	second, stop := startRun(t, "-state", state)
	defer stop()
	if second["SOLARNETWORK_TOKEN"] != first["SOLARNETWORK_TOKEN"] || second["SOLARNETWORK_SECRET"] != first["SOLARNETWORK_SECRET"] {
		t.Errorf("admin credentials changed: %v then %v", first, second)
	}
	url := second["SOLARNETWORK_URL"]
	checkSignedRequests(t, url, second["SOLARNETWORK_TOKEN"], strings.Trim(second["SOLARNETWORK_SECRET"], "'"))
	res, err := http.Get(url + "/_sim/tokens/" + created.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Name   string
		UserID int64
		Policy struct{ NodeIDs []int64 }
	}
	err = json.NewDecoder(res.Body).Decode(&got)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || got.Name != "Dashboard" || got.UserID != 77 || len(got.Policy.NodeIDs) != 1 {
		t.Fatalf("after the restart: %d %+v %v", res.StatusCode, got, err)
	}
	// The token's secret, shown once at creation, still signs requests.
	checkWhoAmI(t, url, created.ID, created.AuthSecret, "User")
	if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v %v", fi.Mode(), err)
	}

	// Fixed credentials given on the command line win over the saved ones.
	stop()
	third, stop3 := startRun(t, "-state", state, "-token", "fixedtokenid00000001", "-secret", "fixed")
	defer stop3()
	if third["SOLARNETWORK_TOKEN"] != "fixedtokenid00000001" || third["SOLARNETWORK_SECRET"] != "fixed" {
		t.Errorf("credentials %v", third)
	}
	checkWhoAmI(t, third["SOLARNETWORK_URL"], created.ID, created.AuthSecret, "User")
}

func TestBadStateFile(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(state, []byte(`{"version":1,"tokens":[{"id":"x","type":"Admin","status":"Active"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-state", state}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "state.json") {
		t.Errorf("run with a bad state file: %v", err)
	}
}

type createdToken struct {
	ID         string
	AuthSecret string
}

func controlCreate(t *testing.T, url, body string) createdToken {
	t.Helper()
	res, err := http.Post(url+"/_sim/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var c createdToken
	if err := json.NewDecoder(res.Body).Decode(&c); err != nil || res.StatusCode != http.StatusCreated || c.AuthSecret == "" {
		t.Fatalf("create: %d %+v %v", res.StatusCode, c, err)
	}
	return c
}

func checkWhoAmI(t *testing.T, url, token, secret, tokenType string) {
	t.Helper()
	c, err := client.New(client.Config{URL: url, Token: token, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.WhoAmI(context.Background())
	if err != nil || id.Token != token || id.TokenType != tokenType {
		t.Errorf("whoami as %s: %+v %v", token, id, err)
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

// docBlock returns the lines of the first tab-indented block of the package
// doc comment in main.go that contains marker.
func docBlock(t *testing.T, marker string) []string {
	t.Helper()
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	var block []string
	for line := range strings.SplitSeq(string(src), "\n") {
		if code, ok := strings.CutPrefix(line, "//\t"); ok {
			block = append(block, code)
			continue
		}
		if slices.ContainsFunc(block, func(l string) bool { return strings.Contains(l, marker) }) {
			return block
		}
		block = nil
	}
	t.Fatalf("main.go's doc comment has no block with %q", marker)
	return nil
}

// TestShellEval runs the doc comment's shell lines with a built solarsim
// on PATH: the eval returns at once, exports the provider's settings (which
// work), and the kill line stops the simulator.
func TestShellEval(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	block := docBlock(t, `eval "$(solarsim`)
	if len(block) < 2 || !strings.HasPrefix(block[len(block)-1], "kill ") {
		t.Fatalf("doc block %q: want the eval line first and a kill line last", block)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range block {
		if !strings.Contains(string(readme), line) {
			t.Errorf("README.md lacks the doc comment's line %q", line)
		}
	}

	bin := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(bin, "solarsim"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script := strings.Join(block[:len(block)-1], "\n") + `
echo ---
printenv SOLARNETWORK_URL SOLARNETWORK_TOKEN SOLARNETWORK_SECRET SOLARSIM_PID
read -r _
` + block[len(block)-1] + `
while kill -0 "$SOLARSIM_PID" 2>/dev/null; do sleep 0.05; done
echo stopped
`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-euc", script)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.WaitDelay = 5 * time.Second
	// A file, not a pipe: the background solarsim keeps standard error.
	stderr, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	next := func() string {
		if !lines.Scan() {
			errText, _ := os.ReadFile(stderr.Name())
			t.Fatalf("the script ended early: %v\n%s", lines.Err(), errText)
		}
		return lines.Text()
	}
	var printed []string
	for line := next(); line != "---"; line = next() {
		printed = append(printed, line)
	}
	url, token, secret, pidText := next(), next(), next(), next()
	pid, err := strconv.Atoi(pidText)
	if err != nil {
		t.Fatalf("SOLARSIM_PID %q", pidText)
	}
	t.Cleanup(func() {
		if p, err := os.FindProcess(pid); err == nil {
			_ = p.Kill()
		}
	})
	if len(printed) == 0 || printed[0] != url {
		t.Errorf("the doc's echo printed %q, want %s", printed, url)
	}
	checkSignedRequests(t, url, token, secret)

	if _, err := io.WriteString(stdin, "\n"); err != nil {
		t.Fatal(err)
	}
	if last := next(); last != "stopped" {
		t.Errorf("after the kill line: %q", last)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(url + "/"); err == nil {
		t.Error("still serving after the kill line")
	}
}
