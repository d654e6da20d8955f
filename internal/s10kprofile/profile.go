// Package s10kprofile reads the credential profiles of s10k, SolarNetwork's
// command-line tool, the way s10k does (sn-cli
// common/src/main/java/s10k/tool/common/util/ProfileUtils.java):
//
//   - ~/.s10k/credentials (TOML): sn_token_id and sn_token_secret at the top
//     level are the default profile; a [NAME] table holds profile NAME.
//   - ~/.s10k/config (TOML): service-urls.solaruser at the top level is the
//     default profile's SolarUser base URL; [profile.NAME.service-urls] holds
//     profile NAME's.
//
// It knows nothing of Terraform.
package s10kprofile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Names of s10k's files, in its configuration directory ~/.s10k.
const (
	DirName             = ".s10k"
	CredentialsFileName = "credentials"
	ConfigFileName      = "config"
)

// Profile is one s10k profile. SolarUserURL is empty when the config file
// sets none for the profile.
type Profile struct {
	Name            string // "" for the default profile
	TokenID         string
	Secret          string
	SolarUserURL    string
	CredentialsPath string
}

// Error is a profile that cannot be read; its message names the file and the
// profile and never holds a secret.
type Error struct {
	Path    string
	Profile string
	Reason  string
}

func (e *Error) Error() string {
	name := "the default s10k profile"
	if e.Profile != "" {
		name = fmt.Sprintf("s10k profile %q", e.Profile)
	}
	return fmt.Sprintf("%s in %s: %s", name, e.Path, e.Reason)
}

// ErrNoDefault is returned by Load for the default profile when the
// credentials file does not exist or sets no default credentials, so that a
// caller can go on without a profile.
var ErrNoDefault = errors.New("no default s10k profile")

// Load reads profile name ("" for the default) from the s10k files in home.
func Load(home, name string) (*Profile, error) {
	dir := filepath.Join(home, DirName)
	credPath := filepath.Join(dir, CredentialsFileName)
	info, err := os.Stat(credPath)
	if errors.Is(err, fs.ErrNotExist) {
		if name == "" {
			return nil, ErrNoDefault
		}
		return nil, &Error{Path: credPath, Profile: name, Reason: "the file does not exist; s10k's profiles are kept there (see `s10k --help`)"}
	}
	if err != nil {
		return nil, &Error{Path: credPath, Profile: name, Reason: err.Error()}
	}
	// s10k's docs ask for mode 600; a secret others can read is refused
	// rather than used. Windows has no such mode bits.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, &Error{Path: credPath, Profile: name, Reason: fmt.Sprintf(
			"the file can be read by other users (mode %04o): run `chmod 600 %s`, as s10k's documentation advises", info.Mode().Perm(), credPath)}
	}
	creds, err := readTOML(credPath)
	if err != nil {
		return nil, &Error{Path: credPath, Profile: name, Reason: err.Error()}
	}
	section := creds
	if name != "" {
		table, ok := creds[name].(map[string]any)
		if !ok {
			return nil, &Error{Path: credPath, Profile: name, Reason: "no such profile; " + describeProfiles(creds)}
		}
		section = table
	}
	id, _ := section["sn_token_id"].(string)
	secret, _ := section["sn_token_secret"].(string)
	if strings.TrimSpace(id) == "" || secret == "" {
		if name == "" && id == "" && secret == "" {
			return nil, ErrNoDefault
		}
		return nil, &Error{Path: credPath, Profile: name, Reason: "it needs both sn_token_id and sn_token_secret"}
	}
	p := &Profile{Name: name, TokenID: id, Secret: secret, CredentialsPath: credPath}
	p.SolarUserURL, err = solarUserURL(filepath.Join(dir, ConfigFileName), name)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SolarUserURL is profile name's ("" for the default) service-urls.solaruser
// from the config file in home, or "" when the file or the setting is
// absent. s10k applies the default profile's to credentials from its
// options and environment variables too (sn-cli ToolCmd.globalInit).
func SolarUserURL(home, name string) (string, error) {
	return solarUserURL(filepath.Join(home, DirName, ConfigFileName), name)
}

func solarUserURL(path, name string) (string, error) {
	cfg, err := readTOML(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", &Error{Path: path, Profile: name, Reason: err.Error()}
	}
	section := cfg
	if name != "" {
		profiles, _ := cfg["profile"].(map[string]any)
		section, _ = profiles[name].(map[string]any)
	}
	urls, _ := section["service-urls"].(map[string]any)
	switch u := urls["solaruser"].(type) {
	case nil:
		return "", nil
	case string:
		return u, nil
	default:
		return "", &Error{Path: path, Profile: name, Reason: "service-urls.solaruser must be a string"}
	}
}

func readTOML(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var derr *toml.DecodeError
		if errors.As(err, &derr) {
			row, col := derr.Position()
			return nil, fmt.Errorf("not valid TOML at line %d, column %d: %s", row, col, derr.Error())
		}
		return nil, fmt.Errorf("not valid TOML: %w", err)
	}
	return doc, nil
}

// describeProfiles lists the profiles a credentials file holds.
func describeProfiles(creds map[string]any) string {
	var names []string
	for k, v := range creds {
		if _, ok := v.(map[string]any); ok {
			names = append(names, fmt.Sprintf("%q", k))
		}
	}
	slices.Sort(names)
	var b strings.Builder
	if len(names) == 0 {
		b.WriteString("the file holds no named profile")
	} else {
		b.WriteString("the file holds " + strings.Join(names, ", "))
	}
	if _, ok := creds["sn_token_id"]; ok {
		b.WriteString(" and the default profile (its top-level sn_token_id, used when no profile is named)")
	}
	return b.String()
}
