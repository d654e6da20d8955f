package simulator

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	userContext  = "/solaruser"
	queryContext = "/solarquery"
	secPrefix    = "/api/v1/sec"
	tokensPath   = "/user/auth-tokens" // under userContext + secPrefix

	// maxBodySize is SolarUser's auth filter body limit (20MB).
	maxBodySize = 20 * 1024 * 1024

	maxNameLen        = 128 // VARCHAR(128)
	maxDescriptionLen = 512 // VARCHAR(512)
)

// apiRequest is a verified request on its way to an endpoint.
type apiRequest struct {
	r    *http.Request
	body []byte
	auth *authResult
	now  time.Time
}

// param returns the first value of a request parameter (URL query, or form
// field of a form POST) and whether it was present at all.
func (q *apiRequest) param(name string) (string, bool) {
	v, ok := q.auth.params[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// paramList returns all values of a parameter, each split on commas, as
// Spring binds a String[] property.
func (q *apiRequest) paramList(name string) []string {
	var out []string
	for _, v := range q.auth.params[name] {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// caller is the authenticated token (a snapshot taken during verification).
func (q *apiRequest) caller() *Token { return &q.auth.token }

// serveAPI is the SolarUser/SolarQuery application: the security filter on
// /api/v1/sec/**, then the endpoints.
func (s *Simulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	s.landDue()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	if err != nil {
		writeFail(w, http.StatusBadRequest, "Malformed request: "+err.Error())
		return
	}
	if len(body) > maxBodySize {
		writeAuthFail(w, &authError{status: http.StatusForbidden,
			msg: "Maximum upload size of " + strconv.Itoa(maxBodySize) + " bytes exceeded"})
		return
	}
	path := r.URL.Path
	var ctx string
	switch {
	case strings.HasPrefix(path, userContext+secPrefix+"/"):
		ctx = userContext
	case strings.HasPrefix(path, queryContext+secPrefix+"/"):
		ctx = queryContext
	default:
		writeBootError(w, r, now, http.StatusNotFound)
		return
	}
	a, aerr := s.authenticate(r, body)
	if aerr != nil {
		writeAuthFail(w, aerr)
		return
	}
	q := &apiRequest{r: r, body: body, auth: a, now: now}
	sub := strings.TrimPrefix(path, ctx+secPrefix)
	if ctx == queryContext {
		switch sub {
		case "/whoami":
			s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodGet: s.whoami})
		case "/auth-tokens/refresh/v2":
			s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodGet: s.refreshV2})
		default:
			writeBootError(w, r, now, http.StatusNotFound)
		}
		return
	}
	// All of SolarUser's /api/v1/sec/** needs ROLE_USER, which data tokens
	// lack (solarnetwork-central WebSecurityConfig.filterChainApi). Spring
	// Security's AccessDeniedException reaches the global handler
	// (WebServiceGlobalControllerSupport.handleAccessDeniedException) with its
	// own message, "Access Denied", and without the authentication headers.
	if a.token.Type != TypeUser {
		writeFail(w, http.StatusForbidden, msgRoleDenied)
		return
	}
	switch {
	case sub == "/whoami":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodGet: s.whoami})
	case sub == tokensPath || sub == tokensPath+"/":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){
			http.MethodGet:    func(w http.ResponseWriter, q *apiRequest) { s.serveCached(w, q, s.listTokens) },
			http.MethodDelete: s.deleteToken,
		})
	case sub == tokensPath+"/find":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){
			http.MethodGet: func(w http.ResponseWriter, q *apiRequest) { s.serveCached(w, q, s.findTokens) },
		})
	case strings.HasPrefix(sub, tokensPath+"/generate/") &&
		!strings.Contains(strings.TrimPrefix(sub, tokensPath+"/generate/"), "/") &&
		sub != tokensPath+"/generate/":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodPost: s.generateToken})
	case sub == tokensPath+"/info":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodPost: s.updateInfo})
	case sub == tokensPath+"/status":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodPost: s.updateStatus})
	case sub == tokensPath+"/policy":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){
			http.MethodPatch: s.mergeTokenPolicy,
			http.MethodPut:   s.replaceTokenPolicy,
		})
	case sub == nodesPath || sub == nodesPath+"/":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodGet: s.listNodes})
	case sub == nodesPath+"/archived":
		s.route(w, q, map[string]func(http.ResponseWriter, *apiRequest){http.MethodGet: s.listArchivedNodes})
	default:
		writeBootError(w, r, now, http.StatusNotFound)
	}
}

// route dispatches on method, answering 405 with an Allow header otherwise.
func (s *Simulator) route(w http.ResponseWriter, q *apiRequest, byMethod map[string]func(http.ResponseWriter, *apiRequest)) {
	if h, ok := byMethod[q.r.Method]; ok {
		h(w, q)
		return
	}
	allow := make([]string, 0, len(byMethod))
	for m := range byMethod {
		allow = append(allow, m)
	}
	slices.Sort(allow)
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeBootError(w, q.r, q.now, http.StatusMethodNotAllowed)
}

// requireParam answers 400 (Spring's MissingServletRequestParameterException
// rendered by Boot) when a required parameter is absent.
func (q *apiRequest) requireParam(w http.ResponseWriter, name string) (string, bool) {
	v, ok := q.param(name)
	if !ok {
		writeBootError(w, q.r, q.now, http.StatusBadRequest)
	}
	return v, ok
}

// denyRestricted enforces UserAuthTokenSecurityAspect: a caller whose own
// policy restricts data access may not change tokens.
func (q *apiRequest) denyRestricted(w http.ResponseWriter) bool {
	if q.caller().Policy.Restricted() {
		writeFail(w, http.StatusForbidden, msgAccessDeniedCode)
		return true
	}
	return false
}

// isJSONContent reports whether the Content-Type is application/json.
func isJSONContent(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// illegalArgument words a conversion failure the way Spring's
// TypeMismatchException reaches the client through the global handler.
func illegalArgument(javaType, value string) string {
	return "Illegal argument: Failed to convert value of type 'java.lang.String' to required type '" +
		javaType + "'; No enum constant " + javaType + "." + value
}

func (s *Simulator) whoami(w http.ResponseWriter, q *apiRequest) {
	t := q.caller()
	writeOK(w, struct {
		UserID    int64  `json:"userId"`
		Token     string `json:"token"`
		TokenType string `json:"tokenType"`
	}{t.UserID, t.ID, t.Type})
}

// sortedTokensLocked returns clones of all tokens ordered by created, then id
// (the list query's ORDER BY).
func (s *Simulator) sortedTokensLocked() []Token {
	out := make([]Token, 0, len(s.tokens))
	for _, t := range s.tokens {
		out = append(out, t.clone())
	}
	slices.SortFunc(out, func(a, b Token) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func (s *Simulator) listTokens(w http.ResponseWriter, q *apiRequest) {
	s.mu.Lock()
	var toks []Token
	if q.caller().Policy.Restricted() {
		// UserAuthTokenSecurityAspect.getAllUserAuthTokensAccessCheck: a
		// restricted caller is answered with a find of its own token,
		// which the per-identifier cache serves (solarnetwork-api.md §10).
		toks = s.findByIdentifierLocked(q.caller().ID, q.now)
	} else {
		toks = s.listedTokensLocked(q.now)
	}
	s.mu.Unlock()
	out := make([]tokenJSON, 0, len(toks))
	for i := range toks {
		out = append(out, toks[i].toJSON(q.now, false))
	}
	writeOK(w, out)
}

// findByIdentifierLocked is DaoUserBiz.listUserAuthTokensForUser for a
// filter of one identifier: the per-identifier cache answers while its entry
// is fresh (FindCacheTTL); otherwise the live token, which is cached when
// there is exactly one.
func (s *Simulator) findByIdentifierLocked(id string, now time.Time) []Token {
	if entry, hit := s.findCache[id]; s.findCacheTTL > 0 && hit && now.Before(entry.expires) {
		return []Token{entry.token.clone()}
	}
	t, ok := s.tokens[id]
	if !ok {
		return nil
	}
	if s.findCacheTTL > 0 {
		s.findCache[id] = findCacheEntry{token: t.clone(), expires: now.Add(s.findCacheTTL)}
	}
	return []Token{t.clone()}
}

// findCacheEntry is a cached single-identifier /find result
// (solarnetwork-api.md §10); only a find with exactly one result is cached.
type findCacheEntry struct {
	token   Token
	expires time.Time
}

// parseSpringBool converts like Spring's CustomBooleanEditor.
func parseSpringBool(s string) (*bool, bool) {
	var v bool
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil, true
	case "true", "on", "yes", "1":
		v = true
	case "false", "off", "no", "0":
		v = false
	default:
		return nil, false
	}
	return &v, true
}

func (s *Simulator) findTokens(w http.ResponseWriter, q *apiRequest) {
	ids := q.paramList("identifiers")
	if v, ok := q.param("identifier"); ok && v != "" {
		ids = append(ids, v)
	}
	var types []string
	for _, t := range append(q.paramList("tokenTypes"), q.paramList("tokenType")...) {
		if validType(t) {
			types = append(types, t) // unknown types are ignored
		}
	}
	var active *bool
	if v, ok := q.param("active"); ok {
		var valid bool
		if active, valid = parseSpringBool(v); !valid {
			writeFail(w, http.StatusUnprocessableEntity,
				"Illegal argument: Failed to convert value of type 'java.lang.String' to required type 'java.lang.Boolean'; Invalid boolean value ["+v+"]")
			return
		}
	}
	if q.caller().Policy.Restricted() {
		// UserAuthTokenSecurityAspect.findUserAuthTokensAccessCheck: a
		// restricted caller's filter keeps its other criteria, with its own
		// token as the one identifier.
		ids = []string{q.caller().ID}
	}
	_, hasTypes := q.auth.params["tokenTypes"]
	_, hasType := q.auth.params["tokenType"]
	identifierOnly := len(ids) == 1 && !hasTypes && !hasType && active == nil

	s.mu.Lock()
	var matched []Token
	if identifierOnly {
		matched = s.findByIdentifierLocked(ids[0], q.now)
	} else {
		for _, t := range s.tokens {
			if len(ids) > 0 && !slices.Contains(ids, t.ID) {
				continue
			}
			if len(types) > 0 && !slices.Contains(types, t.Type) {
				continue
			}
			if active != nil && (t.Status == StatusActive) != *active {
				continue
			}
			matched = append(matched, t.clone())
		}
	}
	s.mu.Unlock()

	slices.SortFunc(matched, func(a, b Token) int { return cmp.Compare(a.ID, b.ID) })
	results := make([]tokenJSON, 0, len(matched))
	for i := range matched {
		results = append(results, matched[i].toJSON(q.now, false))
	}
	writeOK(w, findResults{ReturnedResultCount: len(results), Results: results})
}

func (s *Simulator) generateToken(w http.ResponseWriter, q *apiRequest) {
	typ := strings.TrimPrefix(q.r.URL.Path, userContext+secPrefix+tokensPath+"/generate/")
	var policy *Policy
	body := bytes.TrimSpace(q.body)
	if len(body) > 0 {
		if !isJSONContent(q.r) {
			writeBootError(w, q.r, q.now, http.StatusUnsupportedMediaType)
			return
		}
	}
	if !validType(typ) {
		writeFail(w, http.StatusUnprocessableEntity,
			illegalArgument("net.solarnetwork.central.security.SecurityTokenType", typ))
		return
	}
	// No body, or a JSON null, means no policy; "{}" is an empty policy.
	if len(body) > 0 && string(body) != "null" {
		p, err := s.requestPolicy(body)
		if err != nil {
			writeFail(w, http.StatusUnprocessableEntity, malformedJSON(err))
			return
		}
		policy = p
	}
	if q.denyRestricted(w) {
		return
	}
	// DaoUserBiz.generateUserAuthToken checks each node in turn: one that
	// does not exist is UNKNOWN_OBJECT, one of another user ACCESS_DENIED.
	if policy != nil {
		for _, id := range policy.NodeIDs {
			owner, ok := s.nodes[id]
			if !ok {
				writeFail(w, http.StatusForbidden, msgUnknownObject)
				return
			}
			if owner != s.userID {
				writeFail(w, http.StatusForbidden, msgAccessDeniedCode)
				return
			}
		}
	}
	var t Token
	var raw time.Time
	if landAt, late := q.r.Context().Value(landAtKey{}).(time.Time); late {
		t, raw = s.insertTokenAt(typ, policy, landAt, false)
	} else {
		t, raw = s.insertToken(typ, policy, q.now)
	}
	j := t.toJSON(q.now, true)
	// The insert returns the application's Instant, with nanoseconds; the
	// database keeps microseconds, so later reads differ (solarnetwork-api.md §3).
	j.Created = formatCreated(raw)
	writeOK(w, j)
}

// insertToken stores a new Active token with a unique random id and returns
// a copy plus the unrounded creation instant.
func (s *Simulator) insertToken(typ string, policy *Policy, now time.Time) (Token, time.Time) {
	return s.insertTokenAt(typ, policy, now, true)
}

// insertTokenAt is insertToken at the instant now; unless stored is set, the
// token only lands then (see pendingToken).
func (s *Simulator) insertTokenAt(typ string, policy *Policy, now time.Time, stored bool) (Token, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := newTokenID()
	for s.tokens[id] != nil || slices.ContainsFunc(s.pending, func(p pendingToken) bool { return p.token.ID == id }) {
		id = newTokenID()
	}
	t := &Token{
		ID:      id,
		Created: roundCreated(now),
		UserID:  s.userID,
		Secret:  newTokenSecret(),
		Status:  StatusActive,
		Type:    typ,
		Policy:  normalizePolicy(policy),
	}
	if stored {
		s.tokens[id] = t
	} else {
		s.pending = append(s.pending, pendingToken{token: t, at: now})
	}
	return t.clone(), now.UTC()
}

// malformedJSON words a body parse failure like the global handler.
func malformedJSON(err error) string {
	if errors.Is(err, errPolicyBody) {
		return "Malformed JSON: " + strings.TrimPrefix(err.Error(), errPolicyBody.Error()+": ")
	}
	return "Malformed JSON: " + err.Error()
}

func (s *Simulator) updateInfo(w http.ResponseWriter, q *apiRequest) {
	id, ok := q.requireParam(w, "tokenId")
	if !ok {
		return
	}
	name, _ := q.param("name")
	desc, _ := q.param("description")
	if q.denyRestricted(w) {
		return
	}
	_, err := s.rewriteRow(id, staleRow(q.r), func(t *Token) error { return setInfo(t, name, desc) })
	switch {
	case errors.Is(err, ErrUnknownToken):
		writeFail(w, http.StatusForbidden, msgUnknownObject)
	case err != nil:
		writeJSON(w, http.StatusUnprocessableEntity, envelope{Code: codeInvalidParam, Message: msgInvalidParam})
	default:
		writeOK(w, nil)
	}
}

// errTooLong reports a name or description over its column size.
var errTooLong = errors.New("simulator: name longer than 128 or description longer than 512 characters")

// setInfo replaces both name and description; blank values clear them.
func setInfo(t *Token, name, desc string) error {
	if strings.TrimSpace(name) == "" {
		name = ""
	}
	if strings.TrimSpace(desc) == "" {
		desc = ""
	}
	if utf8.RuneCountInString(name) > maxNameLen || utf8.RuneCountInString(desc) > maxDescriptionLen {
		return errTooLong
	}
	t.Name, t.Description = name, desc
	return nil
}

func (s *Simulator) updateStatus(w http.ResponseWriter, q *apiRequest) {
	id, ok := q.requireParam(w, "tokenId")
	if !ok {
		return
	}
	status, ok := q.requireParam(w, "status")
	if !ok {
		return
	}
	if !validStatus(status) {
		writeFail(w, http.StatusUnprocessableEntity,
			illegalArgument("net.solarnetwork.central.security.SecurityTokenStatus", status))
		return
	}
	if q.denyRestricted(w) {
		return
	}
	if _, err := s.rewriteRow(id, staleRow(q.r), func(t *Token) error { t.Status = status; return nil }); err != nil {
		writeFail(w, http.StatusForbidden, msgUnknownObject)
		return
	}
	writeOK(w, nil)
}

func (s *Simulator) mergeTokenPolicy(w http.ResponseWriter, q *apiRequest) {
	s.updatePolicy(w, q, mergePolicy)
}

func (s *Simulator) replaceTokenPolicy(w http.ResponseWriter, q *apiRequest) {
	s.updatePolicy(w, q, func(_, p *Policy) *Policy { return p })
}

// updatePolicy is PATCH/PUT /policy: JSON only, tokenId required, a body
// required, then the restricted-actor and ownership checks. Node ownership is
// not checked here (only generate checks it).
func (s *Simulator) updatePolicy(w http.ResponseWriter, q *apiRequest, apply func(existing, patch *Policy) *Policy) {
	if !isJSONContent(q.r) {
		writeBootError(w, q.r, q.now, http.StatusUnsupportedMediaType)
		return
	}
	id, ok := q.requireParam(w, "tokenId")
	if !ok {
		return
	}
	body := bytes.TrimSpace(q.body)
	if len(body) == 0 {
		writeFail(w, http.StatusUnprocessableEntity, "Malformed request: Required request body is missing")
		return
	}
	p, err := s.requestPolicy(body)
	if err != nil {
		writeFail(w, http.StatusUnprocessableEntity, malformedJSON(err))
		return
	}
	if q.denyRestricted(w) {
		return
	}
	t, err := s.rewriteRow(id, staleRow(q.r), func(t *Token) error { t.Policy = apply(t.Policy, p); return nil })
	if err != nil {
		writeFail(w, http.StatusForbidden, msgUnknownObject)
		return
	}
	writeOK(w, t.toJSON(q.now, false))
}

func (s *Simulator) deleteToken(w http.ResponseWriter, q *apiRequest) {
	id, ok := q.requireParam(w, "tokenId")
	if !ok {
		return
	}
	if q.denyRestricted(w) {
		return
	}
	s.mu.Lock()
	delete(s.tokens, id) // an unknown id is fine: DELETE is idempotent
	s.mu.Unlock()
	writeOK(w, nil)
}

// refreshV2 is SolarQuery's signing-key refresh (solarnetwork-api.md §8.8).
func (s *Simulator) refreshV2(w http.ResponseWriter, q *apiRequest) {
	v, ok := q.requireParam(w, "date")
	if !ok {
		return
	}
	day, err := time.Parse("2006-01-02", v)
	if err != nil {
		writeFail(w, http.StatusUnprocessableEntity,
			"Illegal argument: Failed to convert value of type 'java.lang.String' to required type 'java.time.LocalDate'; "+v)
		return
	}
	// AuthTokenController.refreshV2 refuses refreshAllowed false before it
	// looks at the date; unset allows the refresh.
	if ra := q.caller().Policy; ra != nil && ra.RefreshAllowed != nil && !*ra.RefreshAllowed {
		writeFail(w, http.StatusForbidden, msgAccessDeniedCode)
		return
	}
	today := q.now.UTC().Truncate(24 * time.Hour)
	if day.After(today) {
		writeFail(w, http.StatusUnprocessableEntity, "Illegal argument: date parameter cannot be in the future")
		return
	}
	writeOK(w, struct {
		Key string `json:"key"`
	}{hex.EncodeToString(signingKey(q.caller().Secret, day))})
}

// requestPolicy parses the policy of a request body as this server does,
// without the fields it does not know (Options.UnknownPolicyFields).
func (s *Simulator) requestPolicy(body []byte) (*Policy, error) {
	if len(s.unknownPolicyFields) > 0 {
		var fields map[string]json.RawMessage
		if json.Unmarshal(body, &fields) == nil && fields != nil {
			for _, name := range s.unknownPolicyFields {
				delete(fields, name)
			}
			body, _ = json.Marshal(fields)
		}
	}
	return parsePolicyBody(body)
}
