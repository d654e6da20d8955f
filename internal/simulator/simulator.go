// Package simulator is an in-memory stand-in for the SolarUser security-token
// API, following the project's API contract (solarnetwork-api.md in this folder): the real
// paths, response envelopes, status codes and error bodies, SNWS2 request
// verification, policy normalisation and merge/replace semantics.
//
// Tests, benchmarks and demos run against it instead of production, so it
// also offers hooks the real server does not have: out-of-band edits (to
// model changes made with the s10k CLI or the web UI), fault injection, and a
// request log with counters.
package simulator

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Simulator. The zero value is usable.
type Options struct {
	// ClockOffset moves SolarNetwork's notion of now (SetClockOffset).
	ClockOffset time.Duration
	// UserID owns every token; default 123 (the user of the s10k manual).
	UserID int64
	// NodeIDs are the nodes the user owns; nil means DefaultNodeIDs.
	// Generating a token whose policy names a node that is neither the
	// user's nor in OtherNodeIDs fails with 403 UNKNOWN_OBJECT, as
	// SolarNetwork answers for a node that does not exist.
	NodeIDs []int64
	// OtherNodeIDs are nodes of other accounts: generating a token for one
	// fails with 403 ACCESS_DENIED.
	OtherNodeIDs []int64
	// ArchivedNodeIDs are nodes of the account that are archived: listed
	// apart (GET /nodes/archived) and still accepted by a token's policy,
	// as SolarNetwork's generate checks ownership, not the archived flag.
	// They need not be in NodeIDs.
	ArchivedNodeIDs []int64
	// Now is the clock; default time.Now.
	Now func() time.Time
	// AdminTokenID and AdminSecret are the credentials of the Active,
	// unrestricted User token created by New. Empty values are generated.
	AdminTokenID, AdminSecret string
	// FindCacheTTL, when positive, models the server's stale per-identifier
	// cache (solarnetwork-api.md §10): a /find whose only criterion is one identifier returns
	// the result cached for that identifier until the TTL passes, whatever
	// changed since. Production uses 15 minutes; zero disables the cache.
	FindCacheTTL time.Duration
	// ResponseCacheTTL and ListLag turn on the models of SolarNetwork's
	// caches of the token list (see Caches); SetCaches changes them later.
	ResponseCacheTTL time.Duration
	ListLag          time.Duration
	// Logger, if set, receives one line per request (method, path, status,
	// token id, duration). Secrets are never logged.
	Logger *log.Logger
	// UnknownPolicyFields are policy fields this server does not know, as
	// an older SolarNetwork: its JSON parser ignores unknown properties, so
	// a policy sent with them is stored without them.
	UnknownPolicyFields []string
}

// DefaultUserID is the owner of all tokens when Options.UserID is zero.
const DefaultUserID = 123

// Default node IDs of the simulated account: 1 to 200, which include the
// nodes of the s10k manual's examples (100, 101, 107 and 164).
const (
	DefaultFirstNodeID = 1
	DefaultLastNodeID  = 200
)

// DefaultNodeIDs returns the nodes the user owns when Options.NodeIDs is
// nil: DefaultFirstNodeID to DefaultLastNodeID.
func DefaultNodeIDs() []int64 {
	ids := make([]int64, 0, DefaultLastNodeID-DefaultFirstNodeID+1)
	for id := int64(DefaultFirstNodeID); id <= DefaultLastNodeID; id++ {
		ids = append(ids, id)
	}
	return ids
}

// Simulator is an in-memory SolarUser security-token API. All methods are
// safe for concurrent use.
type Simulator struct {
	userID              int64
	nodes               map[int64]int64 // node id -> owning user id
	ownedNodes          []int64         // the account's nodes, archived or not, in ID order
	archivedNodes       map[int64]bool
	nodesCreated        time.Time // when every node joined the account
	now                 func() time.Time
	findCacheTTL        time.Duration
	logger              *log.Logger
	unknownPolicyFields []string
	adminID             string
	adminSecret         string
	handler             http.Handler

	mu     sync.Mutex // guards tokens, rowHistory, pending, findCache, faults and the caches
	tokens map[string]*Token
	// rowHistory is each token as it was before each of its writes through
	// the API, oldest first, which a stale server reads (Fault.StaleRow).
	rowHistory    map[string][]Token
	pending       []pendingToken // generated tokens not yet stored (Fault.LandAfter)
	findCache     map[string]findCacheEntry
	faults        []*faultState
	caches        Caches
	responseCache map[string]cachedResponse
	lagging       *laggingList

	logMu    sync.Mutex // separate, so logging never waits on the store
	requests []Request
	// writesInFlight are the unanswered writes per token, and overlaps
	// the writes that met another (row_write.go); guarded by logMu.
	writesInFlight map[string][]*inFlightWrite
	overlaps       []WriteOverlap
	// beforeRowWrite, when set (by tests), runs between the read and the
	// write of a row rewrite, so a test can hold one write there.
	beforeRowWrite func(tokenID string)
	inFlight       int        // requests being served, guarded by logMu
	idle           *sync.Cond // on logMu, broadcast when inFlight drops to zero

	clockOffset atomic.Int64 // nanoseconds; see SetClockOffset

	srvMu    sync.Mutex
	server   *http.Server
	listener net.Listener
	url      string
}

// New creates a simulator holding one Active, unrestricted User token whose
// credentials AdminCredentials returns.
func New(opts Options) *Simulator {
	s := &Simulator{
		userID:              opts.UserID,
		now:                 opts.Now,
		findCacheTTL:        opts.FindCacheTTL,
		logger:              opts.Logger,
		unknownPolicyFields: opts.UnknownPolicyFields,
		adminID:             opts.AdminTokenID,
		adminSecret:         opts.AdminSecret,
		tokens:              make(map[string]*Token),
		rowHistory:          make(map[string][]Token),
		findCache:           make(map[string]findCacheEntry),
		caches:              Caches{ResponseCacheTTL: opts.ResponseCacheTTL, ListLag: opts.ListLag},
		responseCache:       make(map[string]cachedResponse),
		writesInFlight:      make(map[string][]*inFlightWrite),
	}
	s.idle = sync.NewCond(&s.logMu)
	if s.userID == 0 {
		s.userID = DefaultUserID
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.now = s.offsetClock(s.now)
	s.SetClockOffset(opts.ClockOffset)
	owned := opts.NodeIDs
	if owned == nil {
		owned = DefaultNodeIDs()
	}
	s.nodes = make(map[int64]int64, len(owned)+len(opts.OtherNodeIDs))
	for _, id := range opts.OtherNodeIDs {
		s.nodes[id] = s.userID + 1
	}
	s.archivedNodes = make(map[int64]bool, len(opts.ArchivedNodeIDs))
	for _, id := range opts.ArchivedNodeIDs {
		s.archivedNodes[id] = true
	}
	for _, id := range append(slices.Clone(owned), opts.ArchivedNodeIDs...) {
		if s.nodes[id] != s.userID {
			s.ownedNodes = append(s.ownedNodes, id)
		}
		s.nodes[id] = s.userID
	}
	slices.Sort(s.ownedNodes)
	s.nodesCreated = roundCreated(s.now())
	if s.adminID == "" {
		s.adminID = newTokenID()
	}
	if s.adminSecret == "" {
		s.adminSecret = newTokenSecret()
	}
	s.tokens[s.adminID] = &Token{
		ID:      s.adminID,
		Created: roundCreated(s.now()),
		UserID:  s.userID,
		Secret:  s.adminSecret,
		Status:  StatusActive,
		Type:    TypeUser,
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// Handler returns the whole API; mount it at "/".
func (s *Simulator) Handler() http.Handler { return s.handler }

// AdminCredentials returns the id and secret of the token created by New.
func (s *Simulator) AdminCredentials() (tokenID, secret string) {
	return s.adminID, s.adminSecret
}

// Start serves the API on a random loopback port and returns its base URL,
// e.g. "http://127.0.0.1:40123". It panics if it cannot listen, like
// httptest.NewServer.
func (s *Simulator) Start() string {
	u, err := s.StartOn("127.0.0.1:0")
	if err != nil {
		panic("simulator: " + err.Error())
	}
	return u
}

// StartOn serves the API on addr and returns its base URL.
func (s *Simulator) StartOn(addr string) (string, error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.server != nil {
		return "", errors.New("simulator already started at " + s.url)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	// HTTP/1.1 only: fault injection needs to hijack connections.
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second}
	s.server, s.listener, s.url = srv, l, "http://"+l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	return s.url, nil
}

// URL returns the base URL of a started simulator, or "".
func (s *Simulator) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.url
}

// Close stops a started simulator, giving in-flight requests a moment to
// finish before their connections are closed. It is safe to call twice.
func (s *Simulator) Close() {
	s.srvMu.Lock()
	srv := s.server
	s.server, s.listener, s.url = nil, nil, ""
	s.srvMu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}
