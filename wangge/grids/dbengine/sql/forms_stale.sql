-- The next batch of buildings, after an id and written since a time, whose stored forms are
-- missing or not current over the digest asked (`fill_forms`).

SELECT b.id, b.address, b.aliases, hashtextextended(b.address || b.aliases::text, 0)
FROM grids_building b
LEFT JOIN grids_building_forms f ON f.building_id = b.id
WHERE b.id > %s AND b.updated_at >= %s
  AND (f.building_id IS NULL OR f.parsed_with <> %s
       OR f.source <> hashtextextended(b.address || b.aliases::text, 0))
ORDER BY b.id
LIMIT %s
