package simulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// SNWS2 verification, written from the server's behaviour (solarnetwork-api.md §8;
// AuthenticationData, AuthenticationDataV2, SecurityTokenAuthenticationFilter).

const (
	snws2Scheme      = "SNWS2"
	snws1Scheme      = "SolarNetworkWS"
	maxDateSkew      = 15 * time.Minute
	signingKeyDays   = 7 // a key for day D signs requests dated D..D+6
	emptySHA256Hex   = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	signatureHexLen  = 64
	timestampLayout  = "20060102T150405Z"
	signingDayLayout = "20060102"
)

// Authentication failure messages, as the server words them.
const (
	msgFullAuthRequired = "Full authentication is required to access this resource"
	msgBadCredentials   = "Bad credentials"
	msgDateSkew         = "Date skew too large"
	msgExpired          = "Expired token"
	msgAccessDenied     = "Access denied"
	msgMissingDate      = "Missing or invalid HTTP Date header value"
)

// authError is an authentication failure: 401 for a missing or expired
// credential, 403 (BadCredentialsException) for everything else.
type authError struct {
	status int
	msg    string
}

func (e *authError) Error() string { return e.msg }

func badCredentials(msg string) *authError {
	return &authError{status: http.StatusForbidden, msg: msg}
}

// snws2Auth is a parsed "SNWS2 Credential=..,SignedHeaders=..,Signature=.."
// header plus the request date it applies to.
type snws2Auth struct {
	credential    string
	signedHeaders []string // as sent, trimmed, duplicates removed
	signature     string
	date          time.Time
}

// credentialOf extracts the Credential component of an SNWS2 header for the
// request log, without validating anything.
func credentialOf(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, snws2Scheme) {
		return ""
	}
	return authComponents(snws2Data(h))["Credential"]
}

// snws2Data is the header value after "SNWS2" and the one character (a
// space) the server skips.
func snws2Data(h string) string {
	if len(h) <= len(snws2Scheme) {
		return ""
	}
	return h[len(snws2Scheme)+1:]
}

// authComponents splits "k=v,k=v" on commas and each part on its first "=";
// a key given twice keeps its last value (AuthenticationDataV2.tokenStringToMap
// in solarnetwork-common puts each component into a map).
func authComponents(data string) map[string]string {
	m := make(map[string]string, 3)
	for part := range strings.SplitSeq(data, ",") {
		if i := strings.IndexByte(part, '='); i > 0 {
			m[part[:i]] = part[i+1:]
		}
	}
	return m
}

// requestDate reads X-SN-Date, else Date. A present but unparsable header is
// an error naming it; neither header present is msgMissingDate.
func requestDate(r *http.Request) (time.Time, *authError) {
	for _, name := range []string{"X-SN-Date", "Date"} {
		vals := r.Header.Values(name)
		if len(vals) == 0 {
			continue
		}
		t, err := http.ParseTime(vals[0])
		if err != nil {
			return time.Time{}, badCredentials("Invalid HTTP " + name + " header value")
		}
		return t.UTC(), nil
	}
	return time.Time{}, badCredentials(msgMissingDate)
}

// parseSNWS2 validates the Authorization header data (after "SNWS2 ") and the
// signed-header rules, in the server's order.
func parseSNWS2(r *http.Request, data string) (*snws2Auth, *authError) {
	date, aerr := requestDate(r)
	if aerr != nil {
		return nil, aerr
	}
	c := authComponents(data)
	a := &snws2Auth{date: date}
	var ok bool
	if a.credential, ok = c["Credential"]; !ok {
		return nil, badCredentials("Invalid Credential value")
	}
	if a.signature, ok = c["Signature"]; !ok || len(a.signature) != signatureHexLen {
		return nil, badCredentials("Invalid Signature value")
	}
	for h := range strings.SplitSeq(c["SignedHeaders"], ";") {
		if h = strings.TrimSpace(h); h != "" && !slices.Contains(a.signedHeaders, h) {
			a.signedHeaders = append(a.signedHeaders, h)
		}
	}
	if len(a.signedHeaders) < 2 {
		// at least Host plus Date or X-SN-Date
		return nil, badCredentials("Invalid SignedHeaders value")
	}
	lower := make([]string, len(a.signedHeaders))
	for i, h := range a.signedHeaders {
		lower[i] = strings.ToLower(h)
	}
	if !slices.Contains(lower, "host") {
		return nil, badCredentials("The 'Host' HTTP header must be included in SignedHeaders")
	}
	if !slices.Contains(lower, "date") && !slices.Contains(lower, "x-sn-date") {
		return nil, badCredentials("One of the 'Date' or 'X-SN-Date' HTTP headers must be included in SignedHeaders")
	}
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, strings.ToLower(name))
	}
	slices.Sort(names) // deterministic error when several are missing
	for _, name := range names {
		mustSign := strings.HasPrefix(name, "x-sn-") || name == "content-type" ||
			name == "content-md5" || name == "digest"
		if mustSign && !slices.Contains(lower, name) {
			return nil, badCredentials("The '" + name + "' HTTP header must be included in SignedHeaders")
		}
	}
	return a, nil
}

// digestAlgorithms are the Digest header algorithms the server checks.
var digestAlgorithms = map[string]struct {
	hexLen int
	newFn  func() hash.Hash
}{
	"md5":     {32, md5.New},
	"sha":     {40, sha1.New},
	"sha-256": {64, sha256.New},
	"sha-512": {128, sha512.New},
}

// validateContentDigest checks the first Digest entry with a supported
// algorithm, or else Content-MD5, against the body. It reports whether a check
// ran: the real server then has consumed the body, so form fields are no
// longer seen as parameters.
func validateContentDigest(r *http.Request, body []byte) (checked bool, aerr *authError) {
	check := func(alg, provided string) *authError {
		a := digestAlgorithms[alg]
		h := a.newFn()
		h.Write(body)
		var want []byte
		if len(provided) == a.hexLen {
			var err error
			if want, err = hex.DecodeString(provided); err != nil {
				return badCredentials("Invalid Digest " + alg + " encoding")
			}
		} else {
			want = decodeBase64Lenient(provided)
		}
		if !bytes.Equal(h.Sum(nil), want) {
			return badCredentials("Content " + alg + " digest value mismatch")
		}
		return nil
	}
	if vals := r.Header.Values("Digest"); len(vals) > 0 {
		for part := range strings.SplitSeq(vals[0], ",") {
			i := strings.IndexByte(part, '=')
			if i <= 0 {
				continue
			}
			alg := strings.ToLower(part[:i])
			if _, ok := digestAlgorithms[alg]; ok {
				return true, check(alg, part[i+1:])
			}
		}
		return false, nil
	}
	if vals := r.Header.Values("Content-MD5"); len(vals) > 0 {
		return true, check("md5", vals[0])
	}
	return false, nil
}

// decodeBase64Lenient decodes like commons-codec: characters outside the
// alphabet are skipped and padding is optional.
func decodeBase64Lenient(s string) []byte {
	var clean strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '+' || c == '/' || c == '-' || c == '_' {
			switch c {
			case '-':
				c = '+'
			case '_':
				c = '/'
			}
			clean.WriteRune(c)
		}
	}
	b, err := base64.RawStdEncoding.DecodeString(clean.String())
	if err != nil {
		return nil
	}
	return b
}

// isFormPost reports whether the servlet container would parse the body as
// request parameters.
func isFormPost(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded")
}

// requestParams returns the request parameters as getParameterMap does: the
// URL query first, then form fields of a form POST (unless bodyConsumed).
// Keys keep first-seen order; values keep request order.
func requestParams(r *http.Request, body []byte, bodyConsumed bool) (keys []string, vals map[string][]string) {
	vals = make(map[string][]string)
	add := func(raw string) {
		for raw != "" {
			var part string
			part, raw, _ = strings.Cut(raw, "&")
			if part == "" {
				continue
			}
			k, v, _ := strings.Cut(part, "=")
			k, err1 := url.QueryUnescape(k)
			v, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				continue // the servlet container drops undecodable pairs
			}
			if _, ok := vals[k]; !ok {
				keys = append(keys, k)
			}
			vals[k] = append(vals[k], v)
		}
	}
	add(r.URL.RawQuery)
	if isFormPost(r) && !bodyConsumed {
		add(string(body))
	}
	return keys, vals
}

// uriEncode percent-encodes s as AuthorizationUtils.uriEncode: UTF-8, upper
// case hex, only A-Z a-z 0-9 - _ . ~ left as they are.
func uriEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// canonicalQuery sorts keys and emits key=value for every value.
func canonicalQuery(keys []string, vals map[string][]string) string {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	var parts []string
	for _, k := range sorted {
		for _, v := range vals[k] {
			parts = append(parts, uriEncode(k)+"="+uriEncode(v))
		}
	}
	return strings.Join(parts, "&")
}

// javaTrim trims like String.trim: every char <= ' ' at both ends.
func javaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// collapseSpaces replaces runs of two or more spaces with one.
func collapseSpaces(s string) string {
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	return s
}

// hostValue is the value the server signs for "host": the Host header as
// received, plus a proxy port when the header has none, or the server
// address when there is no Host header.
func hostValue(r *http.Request) string {
	host := javaTrim(r.Host)
	if host == "" {
		if local, ok := r.Context().Value(http.LocalAddrContextKey).(interface{ String() string }); ok {
			host = local.String()
			host = strings.TrimSuffix(host, ":80")
		}
		return host
	}
	if !strings.Contains(host, ":") {
		port := javaTrim(r.Header.Get("X-Forwarded-Port"))
		if port == "" && strings.EqualFold(javaTrim(r.Header.Get("X-Forwarded-Proto")), "https") {
			port = "443"
		}
		if port != "" && port != "80" {
			host += ":" + port
		}
	}
	return host
}

// requestPath is the raw request URI path, as getRequestURI returns it.
func requestPath(r *http.Request) string {
	if r.RequestURI != "" && !strings.HasPrefix(r.RequestURI, "http") {
		p, _, _ := strings.Cut(r.RequestURI, "?")
		return p
	}
	return r.URL.EscapedPath()
}

// canonicalRequest builds the SNWS2 canonical request the server computes.
// signedHeaders are the names as sent: the signed-headers line uses them as
// they are (sorted), and a header line finds its value only when the name is
// lower case, so mixed-case names break verification as on the server.
func canonicalRequest(r *http.Request, query string, signedHeaders []string, bodySHA256Hex string) string {
	names := slices.Clone(signedHeaders)
	slices.Sort(names)
	if slices.Contains(names, "date") && slices.Contains(names, "x-sn-date") {
		names = slices.DeleteFunc(names, func(n string) bool { return n == "date" })
	}
	values := make(map[string]string, len(names))
	for _, n := range signedHeaders {
		l := strings.ToLower(n)
		if l == "host" {
			values[l] = hostValue(r)
		} else {
			values[l] = javaTrim(r.Header.Get(l))
		}
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(requestPath(r))
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	for _, n := range names {
		if v, ok := values[n]; ok {
			b.WriteString(n)
			b.WriteByte(':')
			b.WriteString(collapseSpaces(v))
		}
		b.WriteByte('\n')
	}
	b.WriteString(strings.Join(names, ";"))
	b.WriteByte('\n')
	b.WriteString(bodySHA256Hex)
	return b.String()
}

// hmacSHA256 returns HMAC-SHA256(key, msg).
func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// signingKey derives the SNWS2 signing key for the UTC day of t.
func signingKey(secret string, t time.Time) []byte {
	kDate := hmacSHA256([]byte(snws2Scheme+secret), t.UTC().Format(signingDayLayout))
	return hmacSHA256(kDate, "snws2_request")
}

// stringToSign is the SNWS2 signature data for a request date.
func stringToSign(date time.Time, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return "SNWS2-HMAC-SHA256\n" + date.UTC().Format(timestampLayout) + "\n" + hex.EncodeToString(sum[:])
}

// signatureMatches recomputes the signature with the keys of the request day
// and the 6 days before it; the provided value must match one exactly (lower
// case hex, case-sensitive comparison).
func signatureMatches(secret string, date time.Time, canonical, provided string) bool {
	data := stringToSign(date, canonical)
	for i := range signingKeyDays {
		key := signingKey(secret, date.AddDate(0, 0, -i))
		sig := hex.EncodeToString(hmacSHA256(key, data))
		if hmac.Equal([]byte(sig), []byte(provided)) {
			return true
		}
	}
	return false
}

// authResult is what a verified request carries into the handlers.
type authResult struct {
	token  Token               // copy of the caller's token
	params map[string][]string // request parameters as the servlet sees them
}

// authenticate verifies an SNWS2 request in the order SolarNetwork's filter
// does (solarnetwork-central SecurityTokenAuthenticationFilter.doFilterInternal,
// after AuthenticationDataFactory has parsed the header): header syntax, date
// and signed-header rules, body digest; then the token lookup (it must exist
// and be Active, as the user_auth_token_login view selects only Active
// tokens); the policy's notAfter (401 "Expired token"); the policy's apiPaths
// (403 "Access denied"); the signature over the 7-day key window; and last
// the date skew. So, as in production, a caller that cannot sign learns that
// a token exists and has expired, or that its apiPaths deny the path.
func (s *Simulator) authenticate(r *http.Request, body []byte) (*authResult, *authError) {
	h := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(h, snws2Scheme):
	case strings.HasPrefix(h, snws1Scheme):
		// The legacy V1 scheme is out of scope: treat it as unverifiable.
		return nil, badCredentials(msgBadCredentials)
	default:
		return nil, &authError{status: http.StatusUnauthorized, msg: msgFullAuthRequired}
	}
	a, aerr := parseSNWS2(r, snws2Data(h))
	if aerr != nil {
		return nil, aerr
	}
	consumed, aerr := validateContentDigest(r, body)
	if aerr != nil {
		return nil, aerr
	}
	keys, params := requestParams(r, body, consumed)
	bodyHash := emptySHA256Hex
	if consumed || !isFormPost(r) {
		sum := sha256.Sum256(body)
		bodyHash = hex.EncodeToString(sum[:])
	}
	canonical := canonicalRequest(r, canonicalQuery(keys, params), a.signedHeaders, bodyHash)

	s.mu.Lock()
	t, ok := s.tokens[a.credential]
	var tok Token
	if ok {
		tok = t.clone()
	}
	s.mu.Unlock()
	if !ok || tok.Status != StatusActive {
		return nil, badCredentials(msgBadCredentials)
	}
	now := s.now()
	if tok.Policy.Expired(now) {
		return nil, &authError{status: http.StatusUnauthorized, msg: msgExpired}
	}
	if !apiPathAllowed(tok.Policy, requestPath(r)) {
		return nil, badCredentials(msgAccessDenied)
	}
	if !signatureMatches(tok.Secret, a.date, canonical, a.signature) {
		return nil, badCredentials(msgBadCredentials)
	}
	skew := now.Sub(a.date)
	if skew < 0 {
		skew = -skew
	}
	if skew >= maxDateSkew {
		return nil, badCredentials(msgDateSkew)
	}
	return &authResult{token: tok, params: params}, nil
}

// apiPathAllowed applies a policy's apiPaths to a request path: the context
// path (/solaruser, /solarquery) and then /api/v1/sec are stripped, and the
// request passes if any pattern matches (a leading "!" inverts a pattern).
func apiPathAllowed(p *Policy, path string) bool {
	if p == nil || len(p.APIPaths) == 0 {
		return true
	}
	for _, ctx := range []string{"/solaruser", "/solarquery"} {
		if strings.HasPrefix(path, ctx+"/") {
			path = path[len(ctx):]
			break
		}
	}
	path = strings.TrimPrefix(path, "/api/v1/sec")
	for _, pattern := range p.APIPaths {
		if pattern == "" {
			continue
		}
		inverted := strings.HasPrefix(pattern, "!")
		if inverted {
			pattern = pattern[1:]
		}
		if antMatch(pattern, path) != inverted {
			return true
		}
	}
	return false
}
