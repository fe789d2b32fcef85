// Classifiers: placeholder until its first file lands.
