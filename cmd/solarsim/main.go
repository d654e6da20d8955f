// Command solarsim runs the in-memory SolarNetwork security-token API
// simulator on a loopback address, for the quickstart and manual testing.
//
//	go run ./cmd/solarsim [-listen 127.0.0.1:8080] [-token ID -secret SECRET] [-user-id 123] [-ready-file PATH]
//	                      [-latency 50ms] [-stats-file PATH]
//
// It prints shell assignments for the provider's environment variables, so
// `eval "$(... | head -3)"` or sourcing the ready file configures a shell:
//
//	SOLARNETWORK_URL=http://127.0.0.1:8080
//	SOLARNETWORK_TOKEN=...
//	SOLARNETWORK_SECRET=...
//
// and serves until SIGINT or SIGTERM. For benchmarks, -latency delays every
// request and -stats-file receives the requests and response bytes per
// method and path, as JSON, on SIGUSR1 (which also resets them) and at exit.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "solarsim:", err)
		os.Exit(2)
	}
}

// config is the parsed command line.
type config struct {
	listen    string
	token     string
	secret    string
	userID    int64
	nodeIDs   []int64
	readyFile string
	verbose   bool
	latency   time.Duration
	statsFile string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("solarsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
	var nodes string
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free port)")
	fs.StringVar(&c.token, "token", "", "admin User token `id` (default: random)")
	fs.StringVar(&c.secret, "secret", "", "admin token `secret` (default: random; required with -token)")
	fs.Int64Var(&c.userID, "user-id", simulator.DefaultUserID, "owner user `id` of all tokens")
	fs.StringVar(&nodes, "node-ids", "", "comma-separated node `ids` the user owns (default: any id)")
	fs.StringVar(&c.readyFile, "ready-file", "", "write the environment lines to `path` once listening")
	fs.BoolVar(&c.verbose, "v", false, "log each request to stderr (never secrets)")
	fs.DurationVar(&c.latency, "latency", 0, "delay every request by `duration`, as a distant server would")
	fs.StringVar(&c.statsFile, "stats-file", "", "write request and byte counts to `path` on SIGUSR1 and at exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if (c.token == "") != (c.secret == "") {
		return nil, errors.New("-token and -secret must be given together")
	}
	if c.userID <= 0 {
		return nil, errors.New("-user-id must be positive")
	}
	for s := range strings.SplitSeq(nodes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("-node-ids: %q is not a number", s)
		}
		c.nodeIDs = append(c.nodeIDs, id)
	}
	if err := checkLoopback(c.listen); err != nil {
		return nil, err
	}
	return c, nil
}

// checkLoopback refuses addresses that would expose the simulator (and its
// printed admin secret) beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q: refusing a non-loopback address; use 127.0.0.1, [::1] or localhost", addr)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	opts := simulator.Options{
		UserID:       c.userID,
		NodeIDs:      c.nodeIDs,
		AdminTokenID: c.token,
		AdminSecret:  c.secret,
	}
	if c.verbose {
		opts.Logger = log.New(stderr, "solarsim: ", log.LstdFlags)
	}
	sim := simulator.New(opts)
	var url string
	if c.latency > 0 || c.statsFile != "" {
		var stop func()
		if url, stop, err = serveMeasured(sim, c.listen, c.latency, c.statsFile); err != nil {
			return err
		}
		defer stop()
	} else {
		if url, err = sim.StartOn(c.listen); err != nil {
			return err
		}
		defer sim.Close()
	}

	id, secret := sim.AdminCredentials()
	lines := envLines(url, id, secret)
	out := bufio.NewWriter(stdout)
	if _, err := out.WriteString(lines); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if c.readyFile != "" {
		if err := writeFileAtomic(c.readyFile, lines); err != nil {
			return err
		}
		// Stale credentials would mislead whoever waits for the file next.
		defer os.Remove(c.readyFile)
	}
	<-ctx.Done()
	return nil
}

// envLines formats the shell assignments, quoting values that need it.
func envLines(url, id, secret string) string {
	return "SOLARNETWORK_URL=" + shellQuote(url) + "\n" +
		"SOLARNETWORK_TOKEN=" + shellQuote(id) + "\n" +
		"SOLARNETWORK_SECRET=" + shellQuote(secret) + "\n"
}

// shellQuote single-quotes s unless it only has characters a shell leaves
// alone.
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune("-._/:@%+=,[]", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeFileAtomic writes via a temporary file and rename, so a watcher never
// reads a half-written file. The file holds a secret: owner-only mode.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".solarsim-ready-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
