package provider

import (
	"strings"
	"testing"
)

// A metadata path without its leading "/" gets a hint that matches how
// SolarNetwork names metadata leaves: /m/<key>, /pm/<property>/<key>, /t.
func TestMetadataPathHints(t *testing.T) {
	t.Parallel()
	check := metadataPathPattern().(patternValidator).check
	for in, want := range map[string]string{
		"pm/public":   `"pm/public" must start with "/": write "/pm/public"`,
		"m/public/*":  `write "/m/public/*"`,
		"t":           `write "/t"`,
		"**/public":   `write "/**/public"`,
		"public/*":    `"/m/public/*" for an info key, "/pm/public/*" for a property's info`,
		"/pm//x":      `empty path segment`,
		" /m/public ": `leading or trailing spaces`,
	} {
		err := check(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
	for _, ok := range []string{"/pm/public/**", "/m/a", "/t"} {
		if err := check(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

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
		err := checkTokenID(id)
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
