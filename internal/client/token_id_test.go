package client

import (
	"strings"
	"testing"
)

func TestCheckTokenID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{
		"hNAdH.aXHaEqFossMwT8":   "",
		"0123456789-._abcdefgh":  "has 21 characters",
		"short":                  "has 5 characters",
		"":                       "has 0 characters",
		"hNAdH.aXHaEqFossMwT8 ":  "leading or trailing spaces",
		"hNAdH/aXHaEqFossMwT8":   `contains '/'`,
		"hNAdH.aXHaEqFossMwTé":   `contains 'é'`,
		"solarnetwork_security_": "has 22 characters",
	} {
		err := CheckTokenID(id)
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", id, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "exactly 20 characters") {
			t.Errorf("%q: %v, want %s", id, err, want)
		}
	}
}
