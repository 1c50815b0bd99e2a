-- The buildings' search words, read by the trigram index (search_index.sql) and cut into keys
-- (keys_tables.sql). What the trigram index reads of a building: its address and every alias,
-- one text, cut into words after each place word (市 区 镇 路 村 号 楼 …) and around each number.
-- pg_trgm pads the ends of a word, so a name then shares its first letters with a name it is a
-- typo of (新风村 / 新丰村 / 新峰村), and a number is matched as itself, not as part of the name
-- before it. IMMUTABLE functions, so an expression index may use them; a query must spell them
-- the same. PLACE_WORD_CHARS is replaced by `schema.PLACE_WORD_CHARS`, the list the queries are
-- cut after too. Run after keys_drop.sql: the keys are made from these words.

DROP INDEX IF EXISTS grids_building_search_trgm;
ALTER TABLE grids_building DROP COLUMN IF EXISTS search_words;
CREATE OR REPLACE FUNCTION grids_search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(regexp_replace(t, '([0-9]+)', ' \1 ', 'g'),
                        '([PLACE_WORD_CHARS])', '\1 ', 'g')
$$;
CREATE OR REPLACE FUNCTION grids_building_search(address text, aliases jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT grids_search_words(address || ' ' || coalesce(
    (SELECT string_agg(value, ' ') FROM jsonb_array_elements_text(
       CASE WHEN jsonb_typeof(aliases) = 'array' THEN aliases ELSE '[]'::jsonb END)), ''))
$$;
-- A stored generated column: PostgreSQL keeps it in step with every write of the row, and a
-- query reads it instead of cutting each candidate's text again.
ALTER TABLE grids_building ADD COLUMN search_words text
  GENERATED ALWAYS AS (grids_building_search(address, aliases)) STORED;
