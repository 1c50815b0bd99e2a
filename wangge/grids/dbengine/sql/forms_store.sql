-- A batch's forms stored over a digest, each with the hash of the text it was parsed from.

INSERT INTO grids_building_forms (building_id, source, parsed_with, forms)
SELECT t.id, t.source, %s, t.forms::jsonb
FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS t(id, source, forms)
ON CONFLICT (building_id) DO UPDATE
  SET source = EXCLUDED.source, parsed_with = EXCLUDED.parsed_with, forms = EXCLUDED.forms
