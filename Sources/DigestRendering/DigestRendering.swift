// DigestRendering: placeholder until its first file lands.
