package client

import (
	"context"
	"net/http"
	"time"
)

// minSkewCorrection is the least difference between this machine's clock
// and SolarNetwork's that the client corrects: the Date header has whole
// seconds, and SolarNetwork accepts 15 minutes of skew.
const minSkewCorrection = time.Minute

// adoptServerClock is called with an answer that refused the request's date
// ("Date skew too large"). SolarNetwork refuses a request dated 15 minutes
// or more from its clock (solarnetwork-api.md §3), so a machine whose clock
// is off could never sign a request it accepts. The client then takes
// SolarNetwork's clock from the answer's Date header: requests are signed,
// and expiry and rotation judged, by SolarNetwork's time. It reports
// whether the clock moved, and so whether the request is worth sending
// again.
func (c *Client) adoptServerClock(ctx context.Context, header http.Header) bool {
	server, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		return false
	}
	local := c.clock()
	offset := server.Sub(local)
	if offset > -minSkewCorrection && offset < minSkewCorrection {
		return false
	}
	c.skew.Store(int64(offset))
	c.log(ctx, LogWarn, "this machine's clock differs from SolarNetwork's: using SolarNetwork's", map[string]any{
		"offset": offset.Round(time.Second).String(), "solarnetwork_time": server.UTC().Format(time.RFC3339)})
	return true
}

// ClockSkew is how far the client's clock is set from Config.Now to agree
// with SolarNetwork's, zero until SolarNetwork has refused a request's date.
func (c *Client) ClockSkew() time.Duration { return time.Duration(c.skew.Load()) }
