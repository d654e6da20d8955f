package simulator

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func marshalPolicy(t *testing.T, p *Policy) string {
	t.Helper()
	b, err := p.MarshalJSON() // json.Marshal would add HTML escaping
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPolicySerializer covers the outputs asserted by the server's
// SecurityPolicySerializerTests (solarnetwork-api.md §5.2).
func TestPolicySerializer(t *testing.T) {
	notAfter := time.Date(2018, 5, 30, 10, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		p    *Policy
		want string
	}{
		{&Policy{NodeIDs: []int64{3, 2, 1}}, `{"nodeIds":[1,2,3]}`},
		{&Policy{MinAggregation: "Month"}, `{"minAggregation":"Month"}`},
		{&Policy{Aggregations: []string{"Day", "Month"}}, `{"aggregations":["Day","Month"]}`},
		{&Policy{NotAfter: &notAfter, RefreshAllowed: ptr(true)}, `{"notAfter":1527676200000,"refreshAllowed":true}`},
		{&Policy{
			NodeIDs: []int64{3, 2, 1}, SourceIDs: []string{"three", "two", "one"}, MinAggregation: "Day",
			Aggregations: []string{"Hour"}, MinLocationPrecision: "PostalCode", LocationPrecisions: []string{"Block"},
			NodeMetadataPaths: []string{"1"}, UserMetadataPaths: []string{"2", "3"},
		}, `{"nodeIds":[1,2,3],"sourceIds":["three","two","one"],"minAggregation":"Day","minLocationPrecision":"PostalCode","nodeMetadataPaths":["1"],"userMetadataPaths":["2","3"]}`},
		{&Policy{}, `{}`},
		{&Policy{SourceIDs: []string{}, APIPaths: []string{"/a<b>&"}}, `{"apiPaths":["/a<b>&"]}`},
	} {
		if got := marshalPolicy(t, normalizePolicy(tc.p)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestPolicyParse(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", `{}`, `{}`},
		{"keys and names", `{"aggregations":["h","M","m","Day","d","x"]}`, `{"aggregations":["Hour","Month","Minute","Day"]}`},
		{"all invalid aggregations", `{"aggregations":["x"]}`, `{}`},
		{"min wins", `{"aggregations":["Day"],"minAggregation":"5m","locationPrecisions":["Block"],"minLocationPrecision":"Region"}`,
			`{"minAggregation":"FiveMinute","minLocationPrecision":"Region"}`},
		{"invalid min dropped", `{"minAggregation":"bogus","aggregations":["Day"],"minLocationPrecision":"region"}`, `{"aggregations":["Day"]}`},
		{"null min aggregation is None", `{"minAggregation":null}`, `{"minAggregation":"None"}`},
		{"empty min aggregation is None", `{"minAggregation":""}`, `{"minAggregation":"None"}`},
		{"location precision names only", `{"locationPrecisions":["LatLong","latlong","Country","LatLong"]}`, `{"locationPrecisions":["LatLong","Country"]}`},
		{"node ids", `{"nodeIds":[5,1,5,3]}`, `{"nodeIds":[1,3,5]}`},
		{"string sets keep order", `{"sourceIds":["b","a","b",1,true,null],"nodeMetadataPaths":"/m/x","userMetadataPaths":[],"apiPaths":["/x"]}`,
			`{"sourceIds":["b","a","1","true"],"apiPaths":["/x"]}`},
		{"notAfter integer only", `{"notAfter":"2020-01-01"}`, `{}`},
		{"notAfter float", `{"notAfter":1527676200000.5}`, `{}`},
		{"notAfter zero", `{"notAfter":0}`, `{}`},
		{"notAfter negative", `{"notAfter":-5}`, `{}`},
		{"notAfter", `{"notAfter":1527676200000}`, `{"notAfter":1527676200000}`},
		{"refreshAllowed string", `{"refreshAllowed":"true"}`, `{}`},
		{"refreshAllowed false", `{"refreshAllowed":false}`, `{"refreshAllowed":false}`},
		{"unknown keys skipped", `{"foo":{"nodeIds":[1]},"bar":[1,2],"sourceIds":["s"]}`, `{"sourceIds":["s"]}`},
		{"later duplicate wins", `{"sourceIds":["a"],"sourceIds":["b"]}`, `{"sourceIds":["b"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parsePolicyBody([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := marshalPolicy(t, p); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestPolicyParseRejects lists the inputs the server mishandles (solarnetwork-api.md §5.6)
// and the simulator rejects.
func TestPolicyParseRejects(t *testing.T) {
	for _, in := range []string{
		`{"aggregations":[]}`,
		`{"aggregations":null}`,
		`{"aggregations":"Day"}`,
		`{"locationPrecisions":[]}`,
		`{"minLocationPrecision":null}`,
		`{"minLocationPrecision":5}`,
		`{"nodeIds":["1"]}`,
		`{"nodeIds":[1.5]}`,
		`{"nodeIds":{"a":1}}`,
		`{"sourceIds":[["a"]]}`,
		`{"minAggregation":["Day"]}`,
	} {
		_, err := parsePolicyBody([]byte(in))
		if !errors.Is(err, errPolicyBody) {
			t.Errorf("%s: got %v, want a rejection", in, err)
		}
	}
	for _, in := range []string{`[]`, `"x"`, `null`, `{"a":`, `{} {}`} {
		if _, err := parsePolicyBody([]byte(in)); err == nil {
			t.Errorf("%s: accepted", in)
		}
	}
}

func TestMergePolicy(t *testing.T) {
	manual := &Policy{NodeIDs: []int64{100, 101}, SourceIDs: []string{"/REGION1/**"}, MinAggregation: "Hour", RefreshAllowed: ptr(true)}
	patch := &Policy{NodeIDs: []int64{107, 164}, SourceIDs: []string{"/REGION2/**"}}
	got := marshalPolicy(t, mergePolicy(normalizePolicy(manual), normalizePolicy(patch)))
	if want := `{"nodeIds":[100,101,107,164],"sourceIds":["/REGION1/**","/REGION2/**"],"minAggregation":"Hour","refreshAllowed":true}`; got != want {
		t.Errorf("manual merge\n got %s\nwant %s", got, want)
	}

	later := time.UnixMilli(2000).UTC()
	for _, tc := range []struct {
		name            string
		existing, patch *Policy
		want            string
	}{
		{"into nil", nil, &Policy{}, `{}`},
		{"nothing removed", &Policy{SourceIDs: []string{"a", "b"}}, &Policy{SourceIDs: []string{"b", "c"}}, `{"sourceIds":["a","b","c"]}`},
		{"scalars overwritten", &Policy{NotAfter: ptr(time.UnixMilli(1000)), RefreshAllowed: ptr(true), MinLocationPrecision: "Block"},
			&Policy{NotAfter: &later, RefreshAllowed: ptr(false)}, `{"minLocationPrecision":"Block","notAfter":2000,"refreshAllowed":false}`},
		{"existing min hides merged list", &Policy{MinAggregation: "Hour"}, &Policy{Aggregations: []string{"Day"}}, `{"minAggregation":"Hour"}`},
		{"new min beats existing list", &Policy{Aggregations: []string{"Day"}}, &Policy{MinAggregation: "Month"}, `{"minAggregation":"Month"}`},
		{"lists union", &Policy{Aggregations: []string{"Day"}, LocationPrecisions: []string{"Block"}},
			&Policy{Aggregations: []string{"Hour", "Day"}, LocationPrecisions: []string{"Region"}},
			`{"aggregations":["Day","Hour"],"locationPrecisions":["Block","Region"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := marshalPolicy(t, mergePolicy(normalizePolicy(tc.existing), normalizePolicy(tc.patch))); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestPolicyHelpers(t *testing.T) {
	if (&Policy{NotAfter: ptr(time.Now()), RefreshAllowed: ptr(true)}).Restricted() {
		t.Error("notAfter/refreshAllowed must not restrict")
	}
	for _, p := range []*Policy{
		{NodeIDs: []int64{1}}, {SourceIDs: []string{"a"}}, {MinAggregation: "Day"}, {Aggregations: []string{"Day"}},
		{MinLocationPrecision: "Block"}, {LocationPrecisions: []string{"Block"}}, {NodeMetadataPaths: []string{"/m"}},
		{UserMetadataPaths: []string{"/m"}}, {APIPaths: []string{"/a"}},
	} {
		if !p.Restricted() {
			t.Errorf("%+v should restrict", p)
		}
	}
	if got := (&Policy{MinAggregation: "Week"}).AllowedAggregations(); !reflect.DeepEqual(got, []string{"Week", "WeekOfYear", "Month", "Year", "RunningTotal"}) {
		t.Errorf("allowed aggregations %v", got)
	}
	if got := (&Policy{MinLocationPrecision: "TimeZone"}).AllowedLocationPrecisions(); !reflect.DeepEqual(got, []string{"TimeZone", "Country"}) {
		t.Errorf("allowed precisions %v", got)
	}
	// deep copies do not share memory
	p := &Policy{SourceIDs: []string{"a"}, RefreshAllowed: ptr(true)}
	c := p.clone()
	c.SourceIDs[0], *c.RefreshAllowed = "b", false
	if p.SourceIDs[0] != "a" || !*p.RefreshAllowed {
		t.Error("clone shares memory")
	}
	// notAfter is kept in whole milliseconds
	n := normalizePolicy(&Policy{NotAfter: ptr(time.Date(2030, 1, 1, 0, 0, 0, 123456789, time.FixedZone("x", 3600)))})
	if n.NotAfter.Nanosecond() != 123000000 || n.NotAfter.Location() != time.UTC {
		t.Errorf("notAfter %v", n.NotAfter)
	}
}
