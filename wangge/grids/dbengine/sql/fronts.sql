-- The front of every stored address and alias up to its first digit, with the first three
-- codes of its path (the district is among them, at the top or under a city: `district_of`
-- picks it): all the place names in front of an address are there (a name never follows a
-- digit), and addresses that share their front share their reading. Far fewer than the
-- buildings.

SELECT DISTINCT coalesce(substring(n.path from '^(?:[^/]*/){1,3}'), n.path), t.official,
       substring(t.text from '^[^0-9]*[0-9]?')
FROM grids_building b JOIN grids_gridnode n ON n.id = b.micro_grid_id
CROSS JOIN LATERAL (
  SELECT b.address, true
  UNION ALL
  SELECT value, false FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(b.aliases) = 'array' THEN b.aliases ELSE '[]'::jsonb END)
) AS t(text, official)
WHERE b.updated_at >= %s
