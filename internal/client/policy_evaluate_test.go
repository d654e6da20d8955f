package client

import (
	"slices"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// The cases come from SolarNetwork's own tests where they exist (named in
// each case), and otherwise from the code they cite; solarnetwork-api.md §12.
func TestEvaluatePolicy(t *testing.T) {
	enforcerTests := "SecurityPolicyEnforcerTests."
	filterTests := "SecurityTokenAuthenticationFilterTests."
	for _, tc := range []struct {
		name     string
		policy   *SecurityPolicy
		req      PolicyRequest
		deniedBy []string
	}{
		{"nil policy restricts nothing", nil, PolicyRequest{NodeID: ptr[int64](1), SourceID: ptr("a"), Aggregation: "None", APIPath: ptr("/x")}, nil},

		// Node IDs: verifyNodeIds.
		{enforcerTests + "restrictToPolicyNodeIdsSingle: a policy node", &SecurityPolicy{NodeIDs: []int64{1, 2}}, PolicyRequest{NodeID: ptr[int64](1)}, nil},
		{enforcerTests + "denyFromPolicyNodeIds", &SecurityPolicy{NodeIDs: []int64{1, 2}}, PolicyRequest{NodeID: ptr[int64](3)}, []string{"nodeIds"}},

		// Source IDs: verifySourceIds with a path matcher.
		{enforcerTests + "verifySourceIdsWithPathMatcher", &SecurityPolicy{SourceIDs: []string{"/Main/*", "/Main2/**"}}, PolicyRequest{SourceID: ptr("/Main/1")}, nil},
		{enforcerTests + "verifySourceIdsWithPathMatcher_noPathRoot", &SecurityPolicy{SourceIDs: []string{"/Main/*", "/Main2/**"}}, PolicyRequest{SourceID: ptr("Main/1")}, []string{"sourceIds"}},
		{enforcerTests + "verifySourceIdsWithPathMatcherRestricted: /some/other removed", &SecurityPolicy{SourceIDs: []string{"/Main/*", "/Main2/**"}}, PolicyRequest{SourceID: ptr("/some/other")}, []string{"sourceIds"}},
		{enforcerTests + "verifySourceIdsWithPathMatcherMiddle", &SecurityPolicy{SourceIDs: []string{"/Main2/**/Meter"}}, PolicyRequest{SourceID: ptr("/Main2/foo/bar/bam/Meter")}, nil},
		{enforcerTests + "verifySourceIdsWithPathMatcherMixedPatterns", &SecurityPolicy{SourceIDs: []string{"/A/BC/1", "/A/bc/*", "/A/bc/1/*"}}, PolicyRequest{SourceID: ptr("/A/BC/1")}, nil},
		{"matching is case-sensitive (AntPathMatcher default)", &SecurityPolicy{SourceIDs: []string{"/A/bc/*"}}, PolicyRequest{SourceID: ptr("/A/BC/2")}, []string{"sourceIds"}},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: exact pattern", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/A/B/C/**")}, nil},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: more specific pattern", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/A/B/C/D/**")}, nil},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: segment", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/A/B/C/*")}, nil},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: character", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/A/B/C/?")}, nil},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: less specific pattern is narrowed to /A/B/C/1", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/A/B/**")}, []string{"sourceIds"}},
		{enforcerTests + "verifySourceIdsWithPatternPrefix: less specific pattern refused", &SecurityPolicy{SourceIDs: []string{"/A/B/C/1", "/A/B/C/**", "/D/E/F/**"}}, PolicyRequest{SourceID: ptr("/D/E/**")}, []string{"sourceIds"}},
		{enforcerTests + "restrictToPolicySourceIds_fromPattern_single: * narrowed to Main", &SecurityPolicy{SourceIDs: []string{"Main"}}, PolicyRequest{SourceID: ptr("*")}, []string{"sourceIds"}},
		{enforcerTests + "restrictToPolicySourceIds_fromPattern_matchPattern", &SecurityPolicy{SourceIDs: []string{"/a/**", "/b/**"}}, PolicyRequest{SourceID: ptr("/a/**")}, nil},
		{enforcerTests + "restrictToPolicySourceIds_wikiExample_03: /a/** narrowed", &SecurityPolicy{SourceIDs: []string{"/a/1", "/a/2", "/b/1"}}, PolicyRequest{SourceID: ptr("/a/**")}, []string{"sourceIds"}},
		{enforcerTests + "restrictToPolicySourceIds_wikiExample_04", &SecurityPolicy{SourceIDs: []string{"/a/1", "/a/2", "/b/**"}}, PolicyRequest{SourceID: ptr("/b/**")}, nil},
		{"a requested pattern is kept when a policy pattern could begin with it, even if it reaches more (matchStart)", &SecurityPolicy{SourceIDs: []string{"/a/*"}}, PolicyRequest{SourceID: ptr("/a/**")}, nil},

		// Aggregation: verifyAggregation.
		{enforcerTests + "restrictToMinAggregation: Day raised to Month", &SecurityPolicy{MinAggregation: "Month"}, PolicyRequest{Aggregation: "Day"}, []string{"minAggregation"}},
		{"min aggregation allows its own level", &SecurityPolicy{MinAggregation: "Month"}, PolicyRequest{Aggregation: "Month"}, nil},
		{"min aggregation compares levels, not order: HourOfDay is Hour's level", &SecurityPolicy{MinAggregation: "HourOfYear"}, PolicyRequest{Aggregation: "HourOfDay"}, nil},
		{"min aggregation allows a coarser one", &SecurityPolicy{MinAggregation: "Hour"}, PolicyRequest{Aggregation: "RunningTotal"}, nil},
		{"min aggregation wins over an explicit list", &SecurityPolicy{MinAggregation: "Hour", Aggregations: []string{"Minute"}}, PolicyRequest{Aggregation: "Day"}, nil},
		{"explicit aggregations refuse others", &SecurityPolicy{Aggregations: []string{"Day", "Month"}}, PolicyRequest{Aggregation: "Week"}, []string{"aggregations"}},
		{"explicit aggregations allow theirs", &SecurityPolicy{Aggregations: []string{"Day", "Month"}}, PolicyRequest{Aggregation: "Day"}, nil},
		// Unaggregated data is asked for with None, as the function's docs say:
		// SolarNetwork raises a request without an aggregation (fillInMinAggregation)
		// and an explicit list refuses it (allowed.contains(null) is false).
		{enforcerTests + "fillInMinAggregation: unaggregated data raised to Hour", &SecurityPolicy{MinAggregation: "Hour"}, PolicyRequest{Aggregation: "None"}, []string{"minAggregation"}},
		{"explicit aggregations refuse unaggregated data", &SecurityPolicy{Aggregations: []string{"Day", "Month"}}, PolicyRequest{Aggregation: "None"}, []string{"aggregations"}},

		// Location precision: stored, never enforced.
		{"location precisions are not enforced", &SecurityPolicy{MinLocationPrecision: "Country", LocationPrecisions: []string{"Country"}}, PolicyRequest{LocationPrecision: "LatLong"}, nil},

		// Metadata paths: verifyMetadata (node), requireUserReadAccess (user).
		{enforcerTests + "verifyMetadataPaths", &SecurityPolicy{NodeMetadataPaths: []string{"/m/*", "/pm/**"}}, PolicyRequest{NodeMetadataPath: ptr("/m/1")}, nil},
		{enforcerTests + "verifyMetadataPathsDenied", &SecurityPolicy{NodeMetadataPaths: []string{"/m/1", "/pm/one/two"}}, PolicyRequest{NodeMetadataPath: ptr("/m/2")}, []string{"nodeMetadataPaths"}},
		{enforcerTests + "verifyMetadataPathsMiddle", &SecurityPolicy{NodeMetadataPaths: []string{"/pm/**/bar"}}, PolicyRequest{NodeMetadataPath: ptr("/pm/foo/bar")}, nil},
		{"AuthorizationSupport_tokenTests.userReadAccess_data_withPolicy_noUserMetadataPaths", &SecurityPolicy{NodeIDs: []int64{1}}, PolicyRequest{UserMetadataPath: ptr("/m/a")}, []string{"userMetadataPaths"}},
		{"AuthorizationSupport_tokenTests.userReadAccess_data_withPolicy_withUserMetadataPaths: any path, all metadata", &SecurityPolicy{UserMetadataPaths: []string{"/pm/foobar/**"}}, PolicyRequest{UserMetadataPath: ptr("/m/secret")}, nil},
		{"AuthorizationSupport_tokenTests.userReadAccess_user", nil, PolicyRequest{UserMetadataPath: ptr("/m/a"), TokenType: TokenTypeUser}, nil},

		// API paths: isValidApiPath, paths after /api/v1/sec.
		{filterTests + "apiPathV2SimpleAllowed", &SecurityPolicy{APIPaths: []string{"/path/**"}}, PolicyRequest{APIPath: ptr("/path/here")}, nil},
		{filterTests + "apiPathV2SimpleDenied", &SecurityPolicy{APIPaths: []string{"/foo/**"}}, PolicyRequest{APIPath: ptr("/path/here")}, []string{"apiPaths"}},
		{filterTests + "apiPathV2InvertedAllowed", &SecurityPolicy{APIPaths: []string{"!/foo/**"}}, PolicyRequest{APIPath: ptr("/path/here")}, nil},
		{filterTests + "apiPathV2InvertedDenied", &SecurityPolicy{APIPaths: []string{"!/path/**"}}, PolicyRequest{APIPath: ptr("/path/here")}, []string{"apiPaths"}},
		{filterTests + "apiPathV2MultiWithInvertedAllowed", &SecurityPolicy{APIPaths: []string{"/path/do/thing", "!/path/do/**"}}, PolicyRequest{APIPath: ptr("/path/do/thing")}, nil},
		{filterTests + "apiPathV2MultiWithInvertedReversedOrderAllowed", &SecurityPolicy{APIPaths: []string{"!/path/do/**", "/path/do/thing"}}, PolicyRequest{APIPath: ptr("/path/do/thing")}, nil},
		{filterTests + "apiPathV2MultiWithInvertedDenied", &SecurityPolicy{APIPaths: []string{"!/path/do/**", "/path/do/thing"}}, PolicyRequest{APIPath: ptr("/path/do/other")}, []string{"apiPaths"}},
		{"a ! entry never overrides an allow: entries are OR-ed", &SecurityPolicy{APIPaths: []string{"/datum/**", "!/datum/list"}}, PolicyRequest{APIPath: ptr("/datum/list")}, nil},
		{"two disjoint ! entries allow everything", &SecurityPolicy{APIPaths: []string{"!/a/**", "!/b/**"}}, PolicyRequest{APIPath: ptr("/a/x")}, nil},

		{"every refusing field is named, in policy order", &SecurityPolicy{NodeIDs: []int64{1}, SourceIDs: []string{"a"}, APIPaths: []string{"/x"}},
			PolicyRequest{NodeID: ptr[int64](2), SourceID: ptr("b"), APIPath: ptr("/y")}, []string{"nodeIds", "sourceIds", "apiPaths"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := EvaluatePolicy(tc.policy, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Allowed != (len(tc.deniedBy) == 0) || !slices.Equal(got.DeniedBy, tc.deniedBy) {
				t.Errorf("got %+v, want denied by %v", got, tc.deniedBy)
			}
		})
	}
}

func TestEvaluatePolicyRefusesUnknownNames(t *testing.T) {
	for _, tc := range []struct {
		policy *SecurityPolicy
		req    PolicyRequest
	}{
		{nil, PolicyRequest{Aggregation: "Daily"}},
		{nil, PolicyRequest{Aggregation: "d"}}, // keys are for the wire, not for requests
		{nil, PolicyRequest{LocationPrecision: "latlong"}},
		{nil, PolicyRequest{TokenType: "Admin"}},
		{&SecurityPolicy{MinAggregation: "Hourly"}, PolicyRequest{Aggregation: "Day"}},
	} {
		if _, err := EvaluatePolicy(tc.policy, tc.req); err == nil {
			t.Errorf("%+v %+v: no error", tc.policy, tc.req)
		}
	}
}

// AntPathMatcher behaviour the evaluator relies on (Spring's
// AntPathMatcherTests, and solarnetwork-api.md §7.1).
func TestAntPatternMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		whole, want   bool
	}{
		{"/test/**", "/test", true, true},
		{"/test/**", "/test/a/b", true, true},
		{"/test/*", "/test/", true, true},
		{"/test/*", "/test/a/b", true, false},
		{"/test", "/test/", true, false},
		{"test", "/test", true, false},
		{"/t?st", "/test", true, true},
		{"/**/bar", "/bar", true, true},
		{"/a/**/b/**/c", "/a/x/b/y/z/c", true, true},
		{"/a/**/b/**/c", "/a/x/c", true, false},
		{"/A/B/C/**", "/A/B/**", false, false},
		{"/A/B/C/**", "/A/B", false, true},
		{"/a/*", "/a/**", false, true},
		{"/{id}/x", "/7/x", true, true},
		{"/*.html", "/a.HTML", true, false},
	} {
		if got := antPatternMatches(tc.pattern, tc.path, tc.whole); got != tc.want {
			t.Errorf("antPatternMatches(%q, %q, whole=%v) = %v, want %v", tc.pattern, tc.path, tc.whole, got, tc.want)
		}
	}
}
