-- The addresses and aliases as far as the name after their first number (西郊路91号西郊花园3栋
-- is 西郊路0号西郊花园; the alias 西郊花园3栋 is 西郊花园0栋): the names an address in English may
-- write, a compound's included. Numbers are written 0, so a road's plain doors are one row.

SELECT DISTINCT regexp_replace(substring(t.text from '^[^0-9]*(?:[0-9]+[^0-9]*)?'),
                               '[0-9]+', '0', 'g')
FROM grids_building b
CROSS JOIN LATERAL (
  SELECT b.address
  UNION ALL
  SELECT value FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(b.aliases) = 'array' THEN b.aliases ELSE '[]'::jsonb END)
) AS t(text)
WHERE b.updated_at >= %s
