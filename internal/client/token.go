package client

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// SecurityToken is a SolarNetwork security token as the API returns it.
type SecurityToken struct {
	ID          string
	Created     time.Time // UTC, microsecond precision as stored by the server
	UserID      int64
	Name        string
	Description string
	// AuthSecret is only ever returned by GenerateToken.
	AuthSecret string
	Status     string
	Type       string
	// Policy is nil when the token has none; {} reads back as an empty policy.
	Policy  *SecurityPolicy
	Expired bool
}

type tokenJSON struct {
	ID          string          `json:"id"`
	Created     string          `json:"created"`
	UserID      int64           `json:"userId"`
	Name        string          `json:"name,omitempty"`
	Description string          `json:"description,omitempty"`
	AuthSecret  string          `json:"authSecret,omitempty"`
	Status      string          `json:"status"`
	Type        string          `json:"type"`
	Policy      *SecurityPolicy `json:"policy,omitempty"`
	Expired     bool            `json:"expired"`
}

// UnmarshalJSON reads a token, parsing created from SolarNetwork's
// space-separated UTC format.
func (t *SecurityToken) UnmarshalJSON(data []byte) error {
	var w tokenJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	created, err := ParseCreated(w.Created)
	if err != nil {
		return err
	}
	*t = SecurityToken{
		ID: w.ID, Created: created, UserID: w.UserID, Name: w.Name, Description: w.Description,
		AuthSecret: w.AuthSecret, Status: w.Status, Type: w.Type, Policy: w.Policy, Expired: w.Expired,
	}
	return nil
}

// ParseCreated parses SolarNetwork's created format, e.g.
// "2025-09-29 03:52:13.248687Z" (a T separator is accepted too), and rounds
// to microseconds: the generate response can carry nanoseconds the database
// does not keep.
func ParseCreated(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02 15:04:05.999999999Z07:00", strings.Replace(s, "T", " ", 1))
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid created value %q: %w", s, err)
	}
	return t.UTC().Round(time.Microsecond), nil
}
