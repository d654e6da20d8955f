package client

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

func TestListTokens(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	data := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{SourceIDs: []string{"/a/**"}})
	user := env.sim.CreateToken(simulator.TypeUser, nil)
	if err := env.sim.SetInfo(data.ID, "data", "a data token"); err != nil {
		t.Fatal(err)
	}
	if err := env.sim.SetStatus(user.ID, simulator.StatusDisabled); err != nil {
		t.Fatal(err)
	}

	tokens, err := env.client.ListTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tokenIDs(tokens), simTokenIDs(env.sim); !slices.Equal(got, want) {
		t.Fatalf("ids = %v, want %v (ordered by created, id)", got, want)
	}
	for _, tok := range tokens {
		st, _ := env.sim.Token(tok.ID)
		if tok.AuthSecret != "" {
			t.Errorf("%s: a list returned the secret", tok.ID)
		}
		if tok.UserID != simulator.DefaultUserID || tok.Type != st.Type || tok.Status != st.Status ||
			tok.Name != st.Name || tok.Description != st.Description || !tok.Created.Equal(st.Created) || tok.Expired {
			t.Errorf("token %+v does not match simulator %+v", tok, st)
		}
		if !reflect.DeepEqual(tok.Policy, toClientPolicy(t, st.Policy)) {
			t.Errorf("%s policy = %+v, want %+v", tok.ID, tok.Policy, st.Policy)
		}
	}
	if n := env.sim.Count(http.MethodGet, listPath); n != 1 {
		t.Errorf("list requests = %d, want 1", n)
	}
}

func TestGenerateToken(t *testing.T) {
	t.Parallel()
	// A fixed clock with nanoseconds, as the server's Instant.now() has: the
	// generate response carries them, the database keeps microseconds.
	now := time.Date(2025, 9, 29, 3, 52, 13, 248686631, time.UTC)
	clock := func() time.Time { return now }
	wantCreated := time.Date(2025, 9, 29, 3, 52, 13, 248687000, time.UTC)
	notAfter := time.Date(2030, 5, 30, 10, 30, 0, 123456789, time.UTC) // sent as whole epoch ms

	tests := []struct {
		name      string
		tokenType string
		policy    *SecurityPolicy
		wantBody  string // exact request body; "" = no body at all
		want      *SecurityPolicy
	}{
		{
			name: "no policy", tokenType: TokenTypeUser,
		},
		{
			name: "empty policy", tokenType: TokenTypeReadNodeData, policy: &SecurityPolicy{},
			wantBody: `{}`, want: &SecurityPolicy{},
		},
		{
			name: "full policy", tokenType: TokenTypeReadNodeData,
			policy: &SecurityPolicy{
				NodeIDs: []int64{3, 1, 2}, SourceIDs: []string{"/b/**", "/a/*"}, MinAggregation: "Hour",
				LocationPrecisions: []string{"Block", "LatLong"}, NodeMetadataPaths: []string{"/pm/**"},
				UserMetadataPaths: []string{"/u/*"}, APIPaths: []string{"/datum/**"},
				NotAfter: &notAfter, RefreshAllowed: boolPtr(false),
			},
			wantBody: `{"nodeIds":[3,1,2],"sourceIds":["/b/**","/a/*"],"minAggregation":"Hour","locationPrecisions":["Block","LatLong"],` +
				`"nodeMetadataPaths":["/pm/**"],"userMetadataPaths":["/u/*"],"apiPaths":["/datum/**"],` +
				`"notAfter":` + strconv.FormatInt(notAfter.UnixMilli(), 10) + `,"refreshAllowed":false}`,
			want: &SecurityPolicy{
				NodeIDs: []int64{1, 2, 3}, SourceIDs: []string{"/b/**", "/a/*"}, MinAggregation: "Hour",
				LocationPrecisions: []string{"Block", "LatLong"}, NodeMetadataPaths: []string{"/pm/**"},
				UserMetadataPaths: []string{"/u/*"}, APIPaths: []string{"/datum/**"},
				NotAfter: timePtr(time.UnixMilli(notAfter.UnixMilli()).UTC()), RefreshAllowed: boolPtr(false),
			},
		},
		{
			name: "explicit aggregations", tokenType: TokenTypeUser,
			policy:   &SecurityPolicy{Aggregations: []string{"Day", "Month"}, RefreshAllowed: boolPtr(true)},
			wantBody: `{"aggregations":["Day","Month"],"refreshAllowed":true}`,
			want:     &SecurityPolicy{Aggregations: []string{"Day", "Month"}, RefreshAllowed: boolPtr(true)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(nil)
			env := newEnv(t, simulator.Options{Now: clock}, func(c *Config) { c.Now = clock; c.HTTPClient = rec.client() })
			ctx := context.Background()

			tok, err := env.client.GenerateToken(ctx, tt.tokenType, tt.policy)
			if err != nil {
				t.Fatal(err)
			}
			ex := rec.last(t, http.MethodPost, "/generate/"+tt.tokenType)
			if string(ex.ReqBody) != tt.wantBody {
				t.Errorf("request body = %s, want %s", ex.ReqBody, tt.wantBody)
			}
			if tt.wantBody == "" && ex.ContentType != "" {
				t.Errorf("Content-Type %q sent without a body", ex.ContentType)
			}
			if tt.wantBody != "" && ex.ContentType != "application/json" {
				t.Errorf("Content-Type = %q", ex.ContentType)
			}
			if got := dataField(t, ex.RespBody, "created"); got != `"2025-09-29 03:52:13.248686631Z"` {
				t.Errorf("simulator created = %s, want the nanosecond value", got)
			}

			st, ok := env.sim.Token(tok.ID)
			if !ok {
				t.Fatalf("token %s not in the simulator", tok.ID)
			}
			if tok.AuthSecret == "" || tok.AuthSecret != st.Secret {
				t.Errorf("AuthSecret = %q, want the simulator's secret", tok.AuthSecret)
			}
			if n := len(tok.AuthSecret); n < 24 || n > 31 {
				t.Errorf("secret length %d", n)
			}
			if len(tok.ID) != 20 {
				t.Errorf("id %q is not 20 characters", tok.ID)
			}
			if !tok.Created.Equal(wantCreated) || tok.Created.Location() != time.UTC {
				t.Errorf("Created = %v, want %v (microseconds, UTC)", tok.Created, wantCreated)
			}
			if tok.Type != tt.tokenType || tok.Status != StatusActive || tok.UserID != simulator.DefaultUserID || tok.Expired {
				t.Errorf("token = %+v", tok)
			}
			if !reflect.DeepEqual(tok.Policy, tt.want) {
				t.Errorf("policy = %+v, want %+v", tok.Policy, tt.want)
			}
			if !PoliciesEqual(tok.Policy, tt.policy) {
				t.Errorf("PoliciesEqual(returned, sent) = false")
			}

			// Read back: created is identical, the secret is gone, the policy round-trips.
			list, err := env.client.ListTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(list, func(x SecurityToken) bool { return x.ID == tok.ID })
			if i < 0 {
				t.Fatal("generated token not listed")
			}
			read := list[i]
			if read.AuthSecret != "" {
				t.Error("list returned the secret")
			}
			if !read.Created.Equal(tok.Created) {
				t.Errorf("listed created %v != generated %v", read.Created, tok.Created)
			}
			if !reflect.DeepEqual(read.Policy, tt.want) {
				t.Errorf("listed policy = %+v, want %+v", read.Policy, tt.want)
			}
		})
	}
}

func TestGenerateTokenBadType(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	_, err := env.client.GenerateToken(context.Background(), "user", nil)
	if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("status = %d, want 422", apiErr.StatusCode)
	}
}

func TestGenerateTokenUnownedNode(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{NodeIDs: []int64{100, 101}}, nil)
	ctx := context.Background()
	if _, err := env.client.GenerateToken(ctx, TokenTypeReadNodeData, &SecurityPolicy{NodeIDs: []int64{100}}); err != nil {
		t.Fatalf("owned node: %v", err)
	}
	_, err := env.client.GenerateToken(ctx, TokenTypeReadNodeData, &SecurityPolicy{NodeIDs: []int64{100, 999}})
	apiErr := apiError(t, err)
	if apiErr.StatusCode != http.StatusForbidden || apiErr.Message != MessageUnknownObject {
		t.Errorf("error = %v, want 403 UNKNOWN_OBJECT", err)
	}
}

func TestUpdateInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		startName, startDesc string
		setName, setDesc     string
		wantName, wantDesc   string
	}{
		{name: "set both", setName: "n", setDesc: "d", wantName: "n", wantDesc: "d"},
		{name: "replace both", startName: "old", startDesc: "old d", setName: "new", setDesc: "new d", wantName: "new", wantDesc: "new d"},
		{name: "empty description clears it", startName: "old", startDesc: "old d", setName: "kept", wantName: "kept"},
		{name: "empty name clears it", startName: "old", startDesc: "old d", setDesc: "d", wantDesc: "d"},
		{name: "both empty clear both", startName: "old", startDesc: "old d"},
		{name: "special characters", setName: "a&b=c +/ü", setDesc: "line1\nline2 %20", wantName: "a&b=c +/ü", wantDesc: "line1\nline2 %20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, simulator.Options{}, nil)
			tok := env.sim.CreateToken(simulator.TypeUser, nil)
			if err := env.sim.SetInfo(tok.ID, tt.startName, tt.startDesc); err != nil {
				t.Fatal(err)
			}
			if err := env.client.UpdateTokenInfo(context.Background(), tok.ID, tt.setName, tt.setDesc); err != nil {
				t.Fatal(err)
			}
			st, _ := env.sim.Token(tok.ID)
			if st.Name != tt.wantName || st.Description != tt.wantDesc {
				t.Errorf("simulator has %q/%q, want %q/%q", st.Name, st.Description, tt.wantName, tt.wantDesc)
			}
			found := listedToken(t, env.client, tok.ID)
			if found.Name != tt.wantName || found.Description != tt.wantDesc {
				t.Errorf("read back %q/%q, want %q/%q", found.Name, found.Description, tt.wantName, tt.wantDesc)
			}
		})
	}
}

func TestUpdateStatus(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	tok := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
	for _, status := range []string{StatusDisabled, StatusDisabled, StatusActive} {
		if err := env.client.UpdateTokenStatus(ctx, tok.ID, status); err != nil {
			t.Fatalf("%s: %v", status, err)
		}
		if st, _ := env.sim.Token(tok.ID); st.Status != status {
			t.Errorf("simulator status %s, want %s", st.Status, status)
		}
		if found := listedToken(t, env.client, tok.ID); found.Status != status {
			t.Errorf("listed after %s: %+v", status, found)
		}
	}
	err := env.client.UpdateTokenStatus(ctx, tok.ID, "disabled")
	if apiErr := apiError(t, err); apiErr.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad status value: %v, want 422", err)
	}
}

func TestMergeAndReplacePolicy(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	tok := env.sim.CreateToken(simulator.TypeReadNodeData, &simulator.Policy{
		NodeMetadataPaths: []string{"/pm/foo/**"}, RefreshAllowed: boolPtr(true), MinAggregation: "Day",
	})
	notAfter := time.Now().Add(time.Hour).Truncate(time.Millisecond).UTC()

	// PATCH: sets union, scalars overwritten only when given, false overwrites true.
	got, err := env.client.MergeTokenPolicy(ctx, tok.ID, SecurityPolicy{
		SourceIDs: []string{"test/**"}, NodeMetadataPaths: []string{"/pm/foo/**", "/pm/bar"}, NotAfter: &notAfter, RefreshAllowed: boolPtr(false),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &SecurityPolicy{
		SourceIDs: []string{"test/**"}, MinAggregation: "Day", NodeMetadataPaths: []string{"/pm/foo/**", "/pm/bar"},
		NotAfter: &notAfter, RefreshAllowed: boolPtr(false),
	}
	if got.ID != tok.ID || got.AuthSecret != "" || got.Expired || !reflect.DeepEqual(got.Policy, want) {
		t.Errorf("merged = %+v policy %+v, want policy %+v", got, got.Policy, want)
	}
	if sp, _ := env.sim.Token(tok.ID); !reflect.DeepEqual(toClientPolicy(t, sp.Policy), want) {
		t.Errorf("simulator holds %+v", sp.Policy)
	}

	// PUT: replaces everything.
	got, err = env.client.ReplaceTokenPolicy(ctx, tok.ID, SecurityPolicy{APIPaths: []string{"/x"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&SecurityPolicy{APIPaths: []string{"/x"}}); !reflect.DeepEqual(got.Policy, want) {
		t.Errorf("replaced policy = %+v, want %+v", got.Policy, want)
	}

	// PUT {} keeps an empty, non-nil policy.
	got, err = env.client.ReplaceTokenPolicy(ctx, tok.ID, SecurityPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Policy == nil || !got.Policy.IsEmpty() {
		t.Errorf("policy after PUT {} = %+v, want empty", got.Policy)
	}

	// An expired notAfter is reported by the write's response.
	past := time.Now().Add(-time.Hour)
	got, err = env.client.ReplaceTokenPolicy(ctx, tok.ID, SecurityPolicy{NotAfter: &past})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Expired {
		t.Error("expired = false for a notAfter in the past")
	}
}

func TestDeleteToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	ctx := context.Background()
	tok := env.sim.CreateToken(simulator.TypeUser, nil)
	if err := env.client.DeleteToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := env.sim.Token(tok.ID); ok {
		t.Error("token still exists")
	}
	// Deleting again, or deleting an id that never existed, succeeds.
	for _, id := range []string{tok.ID, "never-existed-000000"} {
		if err := env.client.DeleteToken(ctx, id); err != nil {
			t.Errorf("delete %s: %v", id, err)
		}
	}
	if n := env.sim.Count(http.MethodDelete, listPath); n != 3 {
		t.Errorf("delete requests = %d, want 3", n)
	}
	if ids := simTokenIDs(env.sim); len(ids) != 1 {
		t.Errorf("tokens left = %v, want only the admin token", ids)
	}
}

// TestManualExamples reproduces the s10k "sec-tokens update" manual.
func TestManualExamples(t *testing.T) {
	t.Parallel()
	start := SecurityPolicy{
		NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: boolPtr(true),
	}
	input := SecurityPolicy{NodeIDs: []int64{107, 164}, SourceIDs: []string{"/REGION2/**"}}

	tests := []struct {
		name     string
		write    func(*Client, context.Context, string, SecurityPolicy) (*SecurityToken, error)
		method   string
		wantJSON string
		want     *SecurityPolicy
	}{
		{
			name: "merge", write: (*Client).MergeTokenPolicy, method: http.MethodPatch,
			wantJSON: `{"nodeIds":[100,101,107,164],"sourceIds":["/REGION1/**","/REGION2/**"],"minAggregation":"Hour","refreshAllowed":true}`,
			want: &SecurityPolicy{
				NodeIDs: []int64{100, 101, 107, 164}, SourceIDs: []string{"/REGION1/**", "/REGION2/**"},
				MinAggregation: "Hour", RefreshAllowed: boolPtr(true),
			},
		},
		{
			name: "replace", write: (*Client).ReplaceTokenPolicy, method: http.MethodPut,
			wantJSON: `{"nodeIds":[107,164],"sourceIds":["/REGION2/**"]}`,
			want:     &SecurityPolicy{NodeIDs: []int64{107, 164}, SourceIDs: []string{"/REGION2/**"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(nil)
			env := newEnv(t, simulator.Options{}, func(c *Config) { c.HTTPClient = rec.client() })
			ctx := context.Background()
			tok, err := env.client.GenerateToken(ctx, TokenTypeUser, &start)
			if err != nil {
				t.Fatal(err)
			}
			if err := env.client.UpdateTokenInfo(ctx, tok.ID, "Reporting: region 1", "Allow access to region 1 for reporting team."); err != nil {
				t.Fatal(err)
			}
			got, err := tt.write(env.client, ctx, tok.ID, input)
			if err != nil {
				t.Fatal(err)
			}
			ex := rec.last(t, tt.method, "/policy")
			if ex.RawQuery != "tokenId="+tok.ID {
				t.Errorf("query = %q", ex.RawQuery)
			}
			if want := `{"nodeIds":[107,164],"sourceIds":["/REGION2/**"]}`; string(ex.ReqBody) != want {
				t.Errorf("request body = %s, want %s", ex.ReqBody, want)
			}
			if raw := dataField(t, ex.RespBody, "policy"); raw != tt.wantJSON {
				t.Errorf("response policy = %s\nwant %s", raw, tt.wantJSON)
			}
			if !reflect.DeepEqual(got.Policy, tt.want) {
				t.Errorf("policy = %+v, want %+v", got.Policy, tt.want)
			}
			if got.UserID != 123 || got.Type != TokenTypeUser || got.Status != StatusActive ||
				got.Name != "Reporting: region 1" || got.Description != "Allow access to region 1 for reporting team." {
				t.Errorf("token = %+v", got)
			}
			list, err := env.client.ListTokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(list, func(x SecurityToken) bool { return x.ID == tok.ID })
			if i < 0 || !reflect.DeepEqual(list[i].Policy, tt.want) {
				t.Errorf("listed token = %+v", list)
			}
		})
	}

	t.Run("info", func(t *testing.T) {
		t.Parallel()
		env := newEnv(t, simulator.Options{}, nil)
		ctx := context.Background()
		tok, err := env.client.GenerateToken(ctx, TokenTypeReadNodeData, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.client.UpdateTokenInfo(ctx, tok.ID, "Student access", "Allow access to school system data."); err != nil {
			t.Fatal(err)
		}
		list, err := env.client.ListTokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(x SecurityToken) bool { return x.ID == tok.ID })
		if i < 0 {
			t.Fatal("token not listed")
		}
		got := list[i]
		if got.Name != "Student access" || got.Description != "Allow access to school system data." ||
			got.UserID != 123 || got.Type != TokenTypeReadNodeData || got.Status != StatusActive || got.Policy != nil || got.Expired {
			t.Errorf("token = %+v", got)
		}
	})
}

// TestUnknownTokenID: writes to an id that does not exist answer 403
// UNKNOWN_OBJECT, which IsNotFound recognises; DELETE succeeds.
func TestUnknownTokenID(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{}, nil)
	const id = "no-such-token-000000"
	p := SecurityPolicy{SourceIDs: []string{"/a"}}
	tests := []struct {
		name string
		call func(context.Context) error
	}{
		{"UpdateTokenInfo", func(ctx context.Context) error { return env.client.UpdateTokenInfo(ctx, id, "n", "d") }},
		{"UpdateTokenStatus", func(ctx context.Context) error { return env.client.UpdateTokenStatus(ctx, id, StatusDisabled) }},
		{"MergeTokenPolicy", func(ctx context.Context) error { _, err := env.client.MergeTokenPolicy(ctx, id, p); return err }},
		{"ReplaceTokenPolicy", func(ctx context.Context) error { _, err := env.client.ReplaceTokenPolicy(ctx, id, p); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call(context.Background())
			apiErr := apiError(t, err)
			if apiErr.StatusCode != http.StatusForbidden || apiErr.Message != MessageUnknownObject {
				t.Errorf("error = %v, want 403 UNKNOWN_OBJECT", err)
			}
			if !IsNotFound(err) {
				t.Error("IsNotFound = false")
			}
			if IsAccessDenied(err) || IsUnauthorized(err) || IsAmbiguous(err) {
				t.Errorf("misclassified: denied=%v unauthorized=%v ambiguous=%v", IsAccessDenied(err), IsUnauthorized(err), IsAmbiguous(err))
			}
		})
	}
	t.Run("DeleteToken", func(t *testing.T) {
		t.Parallel()
		if err := env.client.DeleteToken(context.Background(), id); err != nil {
			t.Errorf("delete of an unknown id: %v", err)
		}
	})
}

// listedToken is the token id as SolarNetwork lists it.
func listedToken(t *testing.T, c *Client, id string) SecurityToken {
	t.Helper()
	list, err := c.ListTokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range list {
		if tok.ID == id {
			return tok
		}
	}
	t.Fatalf("token %s is not listed", id)
	return SecurityToken{}
}
