package s10kprofile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The credentials file of s10k's docs/docs/profiles.md.
const docsCredentials = `sn_token_id = "DEFAULT_TOKEN_ID"
sn_token_secret = "DEFAULT_TOKEN_SECRET"

[home]
sn_token_id = "HOME_TOKEN_ID"
sn_token_secret = "HOME_TOKEN_SECRET"

[work]
sn_token_id = "WORK_TOKEN_ID"
sn_token_secret = "WORK_TOKEN_SECRET"
`

// A config file as s10k's docs/docs/configuration.md shapes it.
const docsConfig = `some-setting = "some-value"

[service-urls]
solaruser = "https://default.example"

[profile.home]
some-setting = "some-value-for-home"

[profile.dev.service-urls]
solarquery = "http://localhost:9082"
solaruser  = "http://localhost:9081"
`

// writeHome makes a home directory holding s10k's files; an empty text
// leaves that file out.
func writeHome(t *testing.T, credentials, config string, mode os.FileMode) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, DirName)
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if credentials != "" {
		p := filepath.Join(dir, CredentialsFileName)
		if err := os.WriteFile(p, []byte(credentials), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // WriteFile's mode is masked by umask
			t.Fatal(err)
		}
	}
	if config != "" {
		if err := os.WriteFile(filepath.Join(dir, ConfigFileName), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

func TestLoadProfilesOfTheDocs(t *testing.T) {
	home := writeHome(t, docsCredentials+"\n[dev]\nsn_token_id = \"DEV\"\nsn_token_secret = \"DEV_SECRET\"\n", docsConfig, 0o600)
	for _, tc := range []struct {
		name, id, secret, url string
	}{
		{"", "DEFAULT_TOKEN_ID", "DEFAULT_TOKEN_SECRET", "https://default.example"},
		{"home", "HOME_TOKEN_ID", "HOME_TOKEN_SECRET", ""}, // its config section sets no URL
		{"work", "WORK_TOKEN_ID", "WORK_TOKEN_SECRET", ""}, // no config section at all
		{"dev", "DEV", "DEV_SECRET", "http://localhost:9081"},
	} {
		p, err := Load(home, tc.name)
		if err != nil {
			t.Fatalf("Load(%q): %v", tc.name, err)
		}
		if p.Name != tc.name || p.TokenID != tc.id || p.Secret != tc.secret || p.SolarUserURL != tc.url {
			t.Errorf("Load(%q) = %+v, want id %s, secret %s, url %q", tc.name, p, tc.id, tc.secret, tc.url)
		}
		if want := filepath.Join(home, DirName, CredentialsFileName); p.CredentialsPath != want {
			t.Errorf("CredentialsPath = %s, want %s", p.CredentialsPath, want)
		}
	}
}

func TestLoadMissingProfileListsTheOthers(t *testing.T) {
	home := writeHome(t, docsCredentials, "", 0o600)
	_, err := Load(home, "office")
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("err = %v, want *Error", err)
	}
	msg := err.Error()
	for _, want := range []string{`s10k profile "office"`, filepath.Join(home, DirName, CredentialsFileName), `"home", "work"`, "default profile"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "SECRET") {
		t.Errorf("error %q shows a secret", msg)
	}
}

func TestLoadRefusesAFileOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		home := writeHome(t, docsCredentials, "", mode)
		_, err := Load(home, "home")
		if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), CredentialsFileName) {
			t.Errorf("mode %04o: err = %v, want a refusal saying chmod 600", mode, err)
		}
	}
	home := writeHome(t, docsCredentials, "", 0o400)
	if _, err := Load(home, "home"); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func TestLoadDefaultProfileAbsent(t *testing.T) {
	if _, err := Load(t.TempDir(), ""); !errors.Is(err, ErrNoDefault) {
		t.Errorf("no file: err = %v, want ErrNoDefault", err)
	}
	home := writeHome(t, "[home]\nsn_token_id = \"A\"\nsn_token_secret = \"B\"\n", "", 0o600)
	if _, err := Load(home, ""); !errors.Is(err, ErrNoDefault) {
		t.Errorf("named profiles only: err = %v, want ErrNoDefault", err)
	}
	if _, err := Load(t.TempDir(), "home"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("named profile, no file: err = %v", err)
	}
}

func TestLoadIncompleteOrMalformed(t *testing.T) {
	for _, tc := range []struct {
		creds, profile, want string
	}{
		{"[home]\nsn_token_id = \"A\"\n", "home", "needs both sn_token_id and sn_token_secret"},
		{"sn_token_secret = \"S3CRET\"\n", "", "needs both"},
		{"[home]\nsn_token_id = \"A\"\nsn_token_secret = \"S3CRET\n", "home", "not valid TOML at line 3"},
		{"home = \"x\"\n", "home", "no such profile"},
	} {
		home := writeHome(t, tc.creds, "", 0o600)
		_, err := Load(home, tc.profile)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.creds, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("%q: error %q shows the secret", tc.creds, err)
		}
	}
	home := writeHome(t, docsCredentials, "[service-urls]\nsolaruser = 5\n", 0o600)
	if _, err := Load(home, ""); err == nil || !strings.Contains(err.Error(), "service-urls.solaruser must be a string") {
		t.Errorf("numeric URL: err = %v", err)
	}
}

// FuzzLoad: any credentials file gives a profile or an error, never a
// panic, and an error never holds the secret's value.
func FuzzLoad(f *testing.F) {
	f.Add(docsCredentials, "home")
	f.Add("sn_token_id = 1\n", "")
	f.Add("[a.b]\nsn_token_id='x'\n", "a")
	f.Fuzz(func(t *testing.T, creds, name string) {
		home := t.TempDir()
		dir := filepath.Join(home, DirName)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, CredentialsFileName), []byte(creds), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := Load(home, name)
		if err == nil && (p.TokenID == "" || p.Secret == "") {
			t.Fatalf("profile without credentials: %+v", p)
		}
	})
}
