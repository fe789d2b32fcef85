// Evaluation: placeholder until its first file lands.
