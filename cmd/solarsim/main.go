// Command solarsim is a local SolarNetwork security-token API, for trying the
// SolarNetwork Terraform provider without a SolarNetwork account and for
// rehearsing what other writers do to tokens. It verifies SNWS2 signatures
// and answers like SolarUser, keeps its tokens in memory (and, with -state,
// in a file), listens on loopback only, and serves until SIGINT or SIGTERM.
//
// Install it with
//
//	go install github.com/solarnetwork/terraform-provider-solarnetwork/cmd/solarsim@latest
//
// It prints the provider's settings as export lines, then closes its
// standard output, so a shell can start it in the background and take the
// settings in one line:
//
//	eval "$(solarsim &)"
//	echo "$SOLARNETWORK_URL"    # SOLARNETWORK_URL, _TOKEN and _SECRET are exported
//	kill "$SOLARSIM_PID"        # stop it when done
//
// (`go run` keeps that output open as long as the simulator runs: with `go
// run`, use -env-file instead.) With -env-file PATH it also writes the same
// lines to PATH once it is listening, and removes the file when it stops:
// start it in one terminal and `. PATH` in another.
//
// Besides SolarNetwork's /solaruser API it serves a control API under
// /_sim/, plain JSON without SNWS2, to edit tokens as s10k or the SolarUser
// web app would, inject faults and read the request log. `solarsim -h` lists
// the flags and endpoints; cmd/solarsim/README.md explains them with curl
// examples.
//
// For benchmarks, -latency delays every request and -stats-file receives the
// requests and response bytes per method and path, as JSON, on SIGUSR1
// (which also resets them) and at exit.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
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
	listen     string
	token      string
	secret     string
	userID     int64
	userIDSet  bool
	nodeIDs    []int64
	archived   []int64
	stateFile  string
	envFile    string
	verbose    bool
	listenSet  bool
	portNumber int
	latency    time.Duration
	clockText  string
	// clockOffset is -clock-offset, parsed.
	clockOffset time.Duration
	statsFile   string
}

const usageHead = `solarsim: a local SolarNetwork security-token API for the SolarNetwork
Terraform provider. No account needed; loopback only; no data leaves the machine.

Usage: solarsim [flags]

It prints export lines for SOLARNETWORK_URL, SOLARNETWORK_TOKEN,
SOLARNETWORK_SECRET (an unrestricted User token) and SOLARSIM_PID, closes its
standard output, and serves until SIGINT or SIGTERM. In a shell:

  eval "$(solarsim &)"     # start it in the background, export the settings
  kill "$SOLARSIM_PID"     # stop it

Flags:
`

const usageTail = `
Control API: plain JSON under $SOLARNETWORK_URL/_sim/, without SNWS2 (it is a
local test tool, served on loopback only). Policies use SolarNetwork's JSON
(nodeIds, sourceIds, minAggregation, ...). Changes made here show up in the
provider's next plan as changes made outside Terraform.

%s
Examples:
  curl -s "$SOLARNETWORK_URL/_sim/tokens"
  curl -s -X PATCH "$SOLARNETWORK_URL/_sim/tokens/$ID/policy" -d '{"nodeIds":[200]}'
  curl -s -X POST "$SOLARNETWORK_URL/_sim/faults" -d '{"path":"/generate/ReadNodeData","status":503}'

More: https://github.com/solarnetwork/terraform-provider-solarnetwork/tree/main/cmd/solarsim
`

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	flags := flag.NewFlagSet("solarsim", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usageHead)
		flags.PrintDefaults()
		var endpoints strings.Builder
		for _, e := range simulator.ControlEndpoints() {
			endpoints.WriteString("  " + e + "\n")
		}
		fmt.Fprintf(flags.Output(), usageTail, endpoints.String())
	}
	c := &config{}
	var nodes, archived string
	flags.StringVar(&c.listen, "listen", "127.0.0.1:0", "loopback `address` to listen on; port 0 picks a free port")
	flags.IntVar(&c.portNumber, "port", 0, "listen on 127.0.0.1:`port` (a fixed port; same as -listen 127.0.0.1:port)")
	flags.StringVar(&c.token, "token", "", "fixed `id` of the admin User token (default: random, or the one in -state)")
	flags.StringVar(&c.secret, "secret", "", "fixed `secret` of the admin token (required with -token)")
	flags.Int64Var(&c.userID, "user-id", simulator.DefaultUserID, "`id` of the user who owns new tokens; with -state, the saved admin token's user unless given")
	flags.StringVar(&nodes, "node-ids", "", fmt.Sprintf("node `ids` the account owns, comma-separated, ranges as 1-20 (default %d-%d); "+
		"a token naming another node is refused when created, as SolarNetwork refuses it", simulator.DefaultFirstNodeID, simulator.DefaultLastNodeID))
	flags.StringVar(&archived, "archived-node-ids", "", "node `ids` of the account that are archived, as -node-ids (default none): "+
		"listed apart, and still accepted in a new token's policy, as SolarNetwork accepts them")
	flags.StringVar(&c.stateFile, "state", "", "keep the tokens in the JSON file at `path`: loaded at start, rewritten atomically after each change (it holds secrets: mode 0600)")
	flags.StringVar(&c.envFile, "env-file", "", "also write the export lines to `path` once listening; removed on exit")
	flags.BoolVar(&c.verbose, "v", false, "log each SolarNetwork API request to standard error (never secrets)")
	flags.StringVar(&c.clockText, "clock-offset", "0s", "move SolarNetwork's notion of now by `offset`, such as 80d or -2h (also PUT /_sim/clock): expiry, "+
		"signature dates and new tokens' created dates follow it")
	flags.DurationVar(&c.latency, "latency", 0, "delay every request by `duration`, as a distant server would (for benchmarks)")
	flags.StringVar(&c.statsFile, "stats-file", "", "write request and byte counts per method and path to `path` as JSON on SIGUSR1 (which resets them) and at exit")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}
	flags.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "user-id":
			c.userIDSet = true
		case "listen":
			c.listenSet = true
		}
	})
	if c.portNumber != 0 {
		if c.listenSet {
			return nil, errors.New("give -listen or -port, not both")
		}
		if c.portNumber < 1 || c.portNumber > 65535 {
			return nil, fmt.Errorf("-port %d: not a TCP port", c.portNumber)
		}
		c.listen = net.JoinHostPort("127.0.0.1", strconv.Itoa(c.portNumber))
	}
	if (c.token == "") != (c.secret == "") {
		return nil, errors.New("-token and -secret must be given together")
	}
	if c.userID <= 0 {
		return nil, errors.New("-user-id must be positive")
	}
	ids, err := parseNodeIDs(nodes)
	if err != nil {
		return nil, err
	}
	c.nodeIDs = ids
	if c.archived, err = parseNodeIDs(archived); err != nil {
		return nil, errors.New("-archived-node-ids" + strings.TrimPrefix(err.Error(), "-node-ids"))
	}
	if c.clockOffset, err = simulator.ParseOffset(c.clockText); err != nil {
		return nil, fmt.Errorf("-clock-offset: %w", err)
	}
	if err := checkLoopback(c.listen); err != nil {
		return nil, err
	}
	return c, nil
}

// parseNodeIDs reads "1,5,10-20"; empty means the simulator's default set.
func parseNodeIDs(list string) ([]int64, error) {
	var ids []int64
	for s := range strings.SplitSeq(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(s, "-")
		first, err := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
		last := first
		if err == nil && isRange {
			last, err = strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
		}
		if err != nil || first < 1 || last < first || last-first >= 1_000_000 {
			return nil, fmt.Errorf("-node-ids: %q is not a positive node id or a range such as 1-20", s)
		}
		for id := first; id <= last; id++ {
			ids = append(ids, id)
		}
	}
	return ids, nil
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
		ClockOffset:     c.clockOffset,
		UserID:          c.userID,
		NodeIDs:         c.nodeIDs,
		ArchivedNodeIDs: c.archived,
		AdminTokenID:    c.token,
		AdminSecret:     c.secret,
	}
	var state *simulator.State
	if c.stateFile != "" {
		st, err := simulator.ReadStateFile(c.stateFile)
		switch {
		case err == nil:
			state = &st
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
	}
	if state != nil && c.token == "" {
		// The same credentials as before the restart, so that shells and
		// CLI configurations set up then keep working.
		if secret, ok := state.AdminSecret(); ok {
			opts.AdminTokenID, opts.AdminSecret = state.AdminTokenID, secret
			for _, t := range state.Tokens {
				if t.ID == state.AdminTokenID && !c.userIDSet {
					opts.UserID = t.UserID
				}
			}
		}
	}
	if c.verbose {
		opts.Logger = log.New(stderr, "solarsim: ", log.LstdFlags)
	}
	sim := simulator.New(opts)
	handler := sim.HandlerWithControl()
	var saver *simulator.StateSaver
	if c.stateFile != "" {
		if state != nil {
			if err := sim.Restore(*state); err != nil {
				return fmt.Errorf("state file %s: %w", c.stateFile, err)
			}
		}
		saver = sim.NewStateSaver(c.stateFile)
		saver.OnError = func(err error) { fmt.Fprintln(stderr, "solarsim:", err) }
		if err := saver.Save(); err != nil {
			return err
		}
		handler = saver.Handler(handler)
	}

	if c.latency > 0 || c.statsFile != "" {
		var stop func()
		handler, stop = measured(handler, c.latency, c.statsFile)
		defer stop()
	}

	l, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.listen, err)
	}
	// HTTP/1.1 only: fault injection needs to hijack connections.
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	url := "http://" + l.Addr().String()

	id, secret := sim.AdminCredentials()
	lines := envLines(url, id, secret, os.Getpid())
	out := bufio.NewWriter(stdout)
	if _, err := out.WriteString(lines); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	// Closing standard output ends a $(...) that started this in the
	// background: the shell has the lines, and this goes on serving.
	if f, ok := stdout.(*os.File); ok {
		_ = f.Close()
	}
	if c.envFile != "" {
		if err := simulator.WriteFileAtomic(c.envFile, []byte(lines)); err != nil {
			_ = srv.Close()
			return err
		}
		// Stale credentials would mislead whoever waits for the file next.
		defer os.Remove(c.envFile)
	}
	fmt.Fprintf(stderr, "solarsim: serving SolarNetwork at %s, control API at %s/_sim/ (pid %d)\n", url, url, os.Getpid())

	select {
	case <-ctx.Done():
	case err := <-served:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		_ = srv.Close()
	}
	if saver != nil {
		return saver.Save()
	}
	return nil
}

// envLines formats the export lines, quoting values that need it.
func envLines(url, id, secret string, pid int) string {
	return "export SOLARNETWORK_URL=" + shellQuote(url) + "\n" +
		"export SOLARNETWORK_TOKEN=" + shellQuote(id) + "\n" +
		"export SOLARNETWORK_SECRET=" + shellQuote(secret) + "\n" +
		"export SOLARSIM_PID=" + strconv.Itoa(pid) + "\n"
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
