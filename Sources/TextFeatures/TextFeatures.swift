// TextFeatures: placeholder until its first file lands.
