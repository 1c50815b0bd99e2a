-- Each part's nearest buildings by the index's KNN scan (ORDER BY the distance operator alone:
-- a second key, or the threshold inside, turns it back into a scan and sort of every building
-- the threshold keeps), then those the threshold keeps; buildings equally near the last one
-- kept are kept in the index's order. A part no building comes near (a clause of a sentence
-- that names no place: 您好, 麻烦尽快派人来修一下) is not scanned for its nearest at all: the
-- threshold's index scan says so in a few pages, where the nearest-first scan would read the
-- whole index to learn that nothing is near (skipping that scan cut a sentence's candidates
-- to about a third of their cost at 1,000,000 buildings). Its parameters are bound by the
-- client, so a percent sign in the statement is written twice.

WITH part AS MATERIALIZED (  -- each part cut into words once, and those nothing is near out
  SELECT cut.q FROM (SELECT grids_search_words(raw) AS q FROM unnest(%s::text[]) AS raw) AS cut
  WHERE EXISTS (SELECT FROM grids_building near WHERE cut.q <%% near.search_words)
)
SELECT b.id, b.address, CASE WHEN f.forms IS NULL THEN b.aliases END, n.path, f.forms
FROM (
  SELECT DISTINCT found.id
  FROM part
  CROSS JOIN LATERAL (
    SELECT b.id, b.search_words FROM grids_building b
    ORDER BY part.q <<-> b.search_words
    LIMIT %s
  ) AS found
  WHERE part.q <%% found.search_words
) AS chosen
JOIN grids_building b ON b.id = chosen.id
JOIN grids_gridnode n ON n.id = b.micro_grid_id
LEFT JOIN grids_building_forms f ON f.building_id = b.id AND f.parsed_with = %s
  AND f.source = hashtextextended(b.address || b.aliases::text, 0)
ORDER BY b.id
