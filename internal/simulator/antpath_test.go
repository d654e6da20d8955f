package simulator

import "testing"

func TestAntMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		want          bool
	}{
		{"/user/auth-tokens/**", "/user/auth-tokens", true},
		{"/user/auth-tokens/**", "/user/auth-tokens/find", true},
		{"/user/auth-tokens/**", "/user/auth-tokens/generate/User", true},
		{"/user/auth-tokens/**", "/user/other", false},
		{"/user/*", "/user/auth-tokens", true},
		{"/user/*", "/user/auth-tokens/find", false},
		{"/user/auth-tokens/?ind", "/user/auth-tokens/find", true},
		{"/user/auth-tokens/?ind", "/user/auth-tokens/fiind", false},
		{"/whoami", "/whoami", true},
		{"/whoami", "/Whoami", false},
		{"/whoami", "whoami", false},
		{"/**", "/anything/at/all", true},
		{"/**/find", "/user/auth-tokens/find", true},
		{"/**/find", "/find", true},
		{"/a/**/b/**/c", "/a/x/b/y/z/c", true},
		{"/a/**/b/**/c", "/a/x/y/c", false},
		{"/datum/*/list", "/datum/x/list", true},
		{"/a*b", "/axxb", true},
		{"/a*b", "/axxc", false},
		{"/{id}/x", "/123/x", true},
		{"test/**", "test/a/b", true},
		{"/REGION1/**", "/REGION1/x", true},
		{"/a/", "/a", false},
		{"/a/*", "/a/", true},
	} {
		if got := antMatch(tc.pattern, tc.path); got != tc.want {
			t.Errorf("antMatch(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}
