-- The exact keys of a building, looked up before any similarity is computed (`keyed_rows`):
-- each name of its address and aliases (a word of two characters or more without a digit)
-- and the name with each one character left out ("~嵩路": the symmetric deletions of
-- SymSpell, which a name with one character mistyped, missing or added shares with the name
-- meant), and each name with the number after it ("嵩山路 257", "碧沙岗小区 3"), also with a
-- character left out ("~嵩路 257"). A GIN index over them answers in a few pages what the
-- trigram scan answers at many times the CPU at a million buildings.

CREATE OR REPLACE FUNCTION grids_search_keys(words text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT k.key), '{}'::text[])
  FROM (
    SELECT w.word, lead(w.word) OVER (ORDER BY w.n) AS next
    FROM unnest(regexp_split_to_array(btrim(words), '\s+')) WITH ORDINALITY AS w(word, n)
  ) AS p
  CROSS JOIN LATERAL (
    SELECT p.word
    UNION ALL
    SELECT p.word || ' ' || p.next WHERE p.next ~ '^[0-9]+$'
    UNION ALL
    SELECT '~' || overlay(p.word placing '' from i for 1) || ' ' || p.next
    FROM generate_series(1, char_length(p.word)) AS i
    WHERE p.next ~ '^[0-9]+$' AND char_length(p.word) BETWEEN 3 AND 12
    UNION ALL
    SELECT '~' || overlay(p.word placing '' from i for 1)
    FROM generate_series(1, char_length(p.word)) AS i
    WHERE char_length(p.word) BETWEEN 3 AND 12
  ) AS k(key)
  WHERE char_length(p.word) >= 2 AND p.word !~ '[0-9]'
$$;
ALTER TABLE grids_building ADD COLUMN search_keys text[]
  GENERATED ALWAYS AS (grids_search_keys(grids_building_search(address, aliases))) STORED;
-- fastupdate off: a bulk import's keys would otherwise wait in the index's pending list,
-- which every query reads through until a vacuum (a lookup after an import cost many times
-- what one after the vacuum did).
CREATE INDEX grids_building_search_keys ON grids_building USING gin (search_keys)
  WITH (fastupdate = off);
-- A few buildings for each name key (a name, or a name with a character left out), which tell
-- the resolver that the name exists, that it is shared, and which names are like it. Read
-- from the GIN index, a common name's few buildings cost its whole list (50,000 buildings
-- of 建设路 in the generated city); here, a row each. Kept in step with every write of
-- the buildings by statement triggers, whose rows come in one set (an import's 30,000); their
-- lookups of other carriers read the GIN index only (see grids_keyed).
CREATE TABLE IF NOT EXISTS grids_name_carrier (
  key text NOT NULL,
  building_id bigint NOT NULL,
  PRIMARY KEY (key, building_id)
);
CREATE INDEX IF NOT EXISTS grids_name_carrier_building ON grids_name_carrier (building_id);
CREATE OR REPLACE FUNCTION grids_name_keys(keys text[]) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT k FROM unnest(keys) AS k WHERE strpos(k, ' ') = 0
$$;
