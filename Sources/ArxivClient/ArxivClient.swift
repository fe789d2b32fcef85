// ArxivClient: placeholder until its first file lands.
