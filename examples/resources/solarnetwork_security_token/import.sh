# Import an existing token by its ID. SolarNetwork never returns a token's
# secret after creation, so `secret` is null for an imported token.
terraform import solarnetwork_security_token.reporting kF67p6g30eUXQICUgzQf
