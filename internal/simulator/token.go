package simulator

import (
	"crypto/rand"
	"math/big"
	"strings"
	"time"
)

// Token types and statuses, spelled exactly as the API does (case-sensitive).
const (
	TypeUser         = "User"
	TypeReadNodeData = "ReadNodeData"
	StatusActive     = "Active"
	StatusDisabled   = "Disabled"
)

// Token is a security token as the simulator stores it.
type Token struct {
	ID          string
	Created     time.Time // UTC, rounded to microseconds like Postgres
	UserID      int64
	Name        string
	Description string
	Secret      string
	Status      string // Active | Disabled
	Type        string // User | ReadNodeData
	Policy      *Policy
}

// clone returns a deep copy.
func (t *Token) clone() Token {
	c := *t
	c.Policy = t.Policy.clone()
	return c
}

// tokenJSON is the UserAuthToken JSON shape: Jackson declaration order, null
// properties left out (NON_NULL), expired computed per response.
type tokenJSON struct {
	ID          string  `json:"id"`
	Created     string  `json:"created"`
	UserID      int64   `json:"userId"`
	Name        string  `json:"name,omitempty"`
	Description string  `json:"description,omitempty"`
	AuthSecret  string  `json:"authSecret,omitempty"`
	Status      string  `json:"status"`
	Type        string  `json:"type"`
	Policy      *Policy `json:"policy,omitempty"`
	Expired     bool    `json:"expired"`
}

// toJSON renders t for a response. The secret is only included when asked
// for (the generate response); reads never return it.
func (t *Token) toJSON(now time.Time, withSecret bool) tokenJSON {
	j := tokenJSON{
		ID:          t.ID,
		Created:     formatCreated(t.Created),
		UserID:      t.UserID,
		Name:        t.Name,
		Description: t.Description,
		Status:      t.Status,
		Type:        t.Type,
		Policy:      t.Policy,
		Expired:     t.Policy.Expired(now),
	}
	if withSecret {
		j.AuthSecret = t.Secret
	}
	return j
}

// formatCreated formats like DateUtils.ISO_DATE_TIME_ALT_UTC: UTC, a space
// instead of "T", seconds always, fraction without trailing zeros, "Z".
func formatCreated(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.999999999Z")
}

// roundCreated mimics Postgres storing a Java Instant in a timestamp column:
// microsecond precision, rounding half up.
func roundCreated(t time.Time) time.Time {
	return t.UTC().Round(time.Microsecond)
}

// tokenAlphabet is the alphabet of generated token ids and secrets
// (UserBizConstants.generateRandomAuthToken).
const tokenAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._"

// randomString returns n characters drawn uniformly from tokenAlphabet.
func randomString(n int) string {
	var b strings.Builder
	size := big.NewInt(int64(len(tokenAlphabet)))
	for range n {
		b.WriteByte(tokenAlphabet[randInt(size)])
	}
	return b.String()
}

func randInt(limit *big.Int) int64 {
	v, err := rand.Int(rand.Reader, limit)
	if err != nil {
		panic("simulator: crypto/rand failed: " + err.Error())
	}
	return v.Int64()
}

// newTokenID returns a 20 character id, like the server's CHARACTER(20).
func newTokenID() string { return randomString(20) }

// newTokenSecret returns a secret of 24 to 31 characters (24 + nextInt(8)).
func newTokenSecret() string { return randomString(24 + int(randInt(big.NewInt(8)))) }

// validType and validStatus check the enum spellings.
func validType(t string) bool   { return t == TypeUser || t == TypeReadNodeData }
func validStatus(s string) bool { return s == StatusActive || s == StatusDisabled }
