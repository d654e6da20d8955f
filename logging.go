package main

import (
	"os"
	"strings"
)

// Without any TF_LOG* variable the SDK's loggers default to TRACE: every
// request writes tens of kilobytes of logs that the CLI reads over stderr
// and then discards, since the user asked for none. Turning them off is
// invisible to the user and makes a plan of many tokens markedly cheaper.
// quietLogVars are the variables set to OFF; the provider's own logger
// (TF_LOG_PROVIDER, TF_LOG_PROVIDER_SOLARNETWORK) too.
var quietLogVars = []string{
	"TF_LOG_SDK",
	"TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER",
	"TF_LOG_PROVIDER_SOLARNETWORK",
}

// quietUnrequestedLogs turns the provider process's loggers off unless the
// user set any logging variable (TF_LOG, TF_LOG_PATH, TF_LOG_PROVIDER,
// TF_LOG_SDK..., or the test harness's TF_ACC_LOG_PATH), in which case
// every logger keeps the level the user's variables give it.
func quietUnrequestedLogs() {
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if value != "" && (strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC_LOG")) {
			return
		}
	}
	for _, v := range quietLogVars {
		_ = os.Setenv(v, "OFF")
	}
}
