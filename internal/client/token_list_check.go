package client

import (
	"fmt"
	"strings"
)

// IncompleteListError is a token list that cannot be the account's whole
// list, so no token may be taken as deleted from it.
type IncompleteListError struct {
	Reason string
}

func (e *IncompleteListError) Error() string {
	return "SolarNetwork's token list cannot be complete: " + e.Reason
}

// RestrictedCredentialError means the caller's own token has a policy that
// makes SolarNetwork treat it as a restricted actor: it lists only itself
// and is refused every change.
type RestrictedCredentialError struct {
	TokenID string
	// Fields are the restricting policy fields, as SolarNetwork names them.
	Fields []string
}

func (e *RestrictedCredentialError) Error() string {
	return fmt.Sprintf("the provider's token %s is restricted by its policy (%s): SolarNetwork shows a restricted token only itself "+
		"and refuses it every change", e.TokenID, strings.Join(e.Fields, ", "))
}

// checkTokenList refuses a list that cannot be the caller's whole account:
// SolarNetwork's list always holds the caller's own token, once, and a
// restricted caller sees only that one.
func checkTokenList(list []SecurityToken, callerID string) error {
	var caller *SecurityToken
	seen := make(map[string]bool, len(list))
	for i := range list {
		// A list with a token twice or one without an ID is not
		// SolarNetwork's: which entry is the token, and what is missing?
		switch id := list[i].ID; {
		case id == "":
			return &IncompleteListError{Reason: fmt.Sprintf("entry %d has no token ID", i+1)}
		case seen[id]:
			return &IncompleteListError{Reason: "it lists token " + id + " more than once"}
		case id == callerID:
			caller = &list[i]
		}
		seen[list[i].ID] = true
	}
	if caller == nil {
		return &IncompleteListError{Reason: fmt.Sprintf("it does not hold the provider's own token %s (%d tokens listed)", callerID, len(list))}
	}
	if fields := caller.Policy.RestrictingFields(); len(fields) > 0 {
		return &RestrictedCredentialError{TokenID: callerID, Fields: fields}
	}
	for _, t := range list {
		if t.UserID != caller.UserID {
			return &IncompleteListError{Reason: fmt.Sprintf("token %s belongs to user %d, not to the provider's user %d", t.ID, t.UserID, caller.UserID)}
		}
	}
	return nil
}
