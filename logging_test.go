package main

import (
	"os"
	"strings"
	"testing"
)

func TestQuietUnrequestedLogs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		quiet bool
	}{
		{"nothing set", nil, true},
		{"empty TF_LOG", map[string]string{"TF_LOG": ""}, true},
		{"TF_LOG", map[string]string{"TF_LOG": "ERROR"}, false},
		{"TF_LOG_PATH", map[string]string{"TF_LOG_PATH": "tf.log"}, false},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "DEBUG"}, false},
		{"TF_LOG_SDK_PROTO", map[string]string{"TF_LOG_SDK_PROTO": "TRACE"}, false},
		{"TF_ACC_LOG_PATH", map[string]string{"TF_ACC_LOG_PATH": "acc.log"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Start from an environment without logging variables; t.Setenv
			// restores each afterwards.
			for _, kv := range os.Environ() {
				name, _, _ := strings.Cut(kv, "=")
				if strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC_LOG") {
					t.Setenv(name, "")
					_ = os.Unsetenv(name)
				}
			}
			for _, v := range quietLogVars {
				t.Setenv(v, "")
				_ = os.Unsetenv(v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			quietUnrequestedLogs()
			for _, v := range quietLogVars {
				got := os.Getenv(v)
				if tc.quiet && got != "OFF" {
					t.Errorf("%s = %q, want OFF", v, got)
				}
				if !tc.quiet && got != tc.env[v] {
					t.Errorf("%s = %q, changed although the user set logging", v, got)
				}
			}
		})
	}
}
