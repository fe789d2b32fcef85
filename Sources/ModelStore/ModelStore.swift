// ModelStore: placeholder until its first file lands.
