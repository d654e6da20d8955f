# Credentials are best given as environment variables:
#   SOLARNETWORK_TOKEN, SOLARNETWORK_SECRET (and optionally SOLARNETWORK_URL).
provider "solarnetwork" {
  url         = "https://data.solarnetwork.net"
  max_retries = 4
}
