package validate

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// pattern checks one SolarNetwork wildcard pattern (source id, metadata
// path or API path) in a set, so a typo fails at plan time, not after the
// token silently matches nothing.
func pattern(description string, check func(string) error) stringCheck {
	return stringCheck{
		description: description,
		summary:     "Invalid pattern",
		inSet:       true,
		check:       func(s string) string { return errorText(check(s)) },
	}
}

// SourceIDPattern: any non-blank id or Ant-style pattern without empty path segments.
func SourceIDPattern() validator.String {
	return pattern("a source ID or wildcard pattern (?, *, **) without blank or empty path segments",
		func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			return checkSegments(s)
		})
}

// MetadataPathPattern: metadata filter key paths start with "/", like
// "/pm/foo/**". Node and user metadata alike are matched by the paths of
// their leaves, /m/<key>, /pm/<property>/<key> and /t (tags), so a path
// without "/" gets the leading "/" added when it starts with one of those
// roots (or a wildcard), and is suggested under /m/ or /pm/ otherwise.
func MetadataPathPattern() validator.String {
	return pattern(`a metadata path starting with "/", such as "/m/public/*" or "/pm/account/**"`,
		func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			if !strings.HasPrefix(s, "/") {
				root, _, _ := strings.Cut(s, "/")
				switch root {
				case "m", "pm", "t", "*", "**":
					return fmt.Errorf("%q must start with \"/\": write \"/%s\"", s, s)
				}
				return fmt.Errorf("%q must start with \"/\" and a metadata root: \"/m/%s\" for an info key, "+
					"\"/pm/%s\" for a property's info", s, s, s)
			}
			return checkSegments(s)
		})
}

// APIPathPattern: API paths are relative to /api/v1/sec and start with "/",
// or with "!/" to deny.
func APIPathPattern() validator.String {
	return pattern(`an API path after /api/v1/sec starting with "/" (or "!/" to deny), such as "/user/auth-tokens/**"`,
		func(s string) error {
			if err := checkCommon(s); err != nil {
				return err
			}
			p := strings.TrimPrefix(s, "!")
			if !strings.HasPrefix(p, "/") {
				return fmt.Errorf("%q must start with \"/\" or \"!/\", such as \"/datum/**\"", s)
			}
			if strings.HasPrefix(p, "/api/") {
				return fmt.Errorf("%q must be relative to /api/v1/sec: write \"%s\"", s, strings.TrimPrefix(strings.TrimPrefix(p, "/api/v1/sec"), "/api/v1/pub"))
			}
			return checkSegments(p)
		})
}

func checkCommon(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("a pattern must not be blank")
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q has leading or trailing spaces, which SolarNetwork would match literally", s)
	}
	// Invisible in most output, and never part of a real source ID or path.
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("%q contains the control character %U, which SolarNetwork would match literally", s, r)
	}
	return nil
}

func checkSegments(s string) error {
	if strings.Contains(s, "//") {
		return fmt.Errorf("%q has an empty path segment (\"//\")", s)
	}
	if len(s) > 1 && strings.HasSuffix(s, "/") {
		return fmt.Errorf("%q ends with \"/\", an empty path segment; use \"%s**\" to match everything below it", s, s)
	}
	return nil
}
