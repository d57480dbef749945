"""Search over items: `text` turns text and queries into index tokens (no models, the bottom
layer); `query` runs a query against the index with the editors' synonym list and ranks the
results. `words.txt` is the segmenter's domain dictionary, `synonyms.txt` the synonym list a
fresh install starts with (migration 0007 and the demo loader)."""
