-- GiST, not GIN: a query shares its 市/区/路/号/楼 words with nearly every address, so a GIN
-- index's "similar enough" filter kept every building and the nearest were found by computing
-- the similarity of each and sorting them all (two orders of magnitude slower than the GiST
-- index at 100,000 buildings). A GiST index hands out the nearest first and the scan stops at
-- the limit. Its signature of 512 bytes (the default is 12) keeps the inner pages' signatures
-- from filling up with a city's trigrams, which would leave the scan nothing to prune with (a
-- text no building shares a word with was a scan of the whole index): at 100,000 buildings a
-- query's candidates took about half the time at p95 that they took with 128 bytes, and the
-- same at p50 (docs/benchmarks.md).

DROP INDEX IF EXISTS grids_building_search_trgm;
CREATE INDEX grids_building_search_trgm ON grids_building
  USING gist (search_words gist_trgm_ops(siglen=512));
