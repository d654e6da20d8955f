package client

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokenIDLength and tokenIDAlphabet describe every SolarNetwork token ID
// (UserBizConstants.generateRandomAuthToken, a CHARACTER(20) column).
const (
	tokenIDLength   = 20
	tokenIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-"
)

// CheckTokenID says why id cannot be a SolarNetwork token ID, or returns
// nil, so a typo is refused before any request.
func CheckTokenID(id string) error {
	const shape = "a SolarNetwork token ID has exactly 20 characters, each a letter, a digit, '.', '_' or '-'"
	if trimmed := strings.TrimSpace(id); trimmed != id {
		return fmt.Errorf("%q has leading or trailing spaces: %s", id, shape)
	}
	if n := utf8.RuneCountInString(id); n != tokenIDLength {
		return fmt.Errorf("%q has %d characters: %s", id, n, shape)
	}
	for _, c := range id {
		if !strings.ContainsRune(tokenIDAlphabet, c) {
			return fmt.Errorf("%q contains %q: %s", id, c, shape)
		}
	}
	return nil
}
