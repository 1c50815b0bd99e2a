-- The stored forms of buildings that are gone, dropped (a fill of all the buildings).

DELETE FROM grids_building_forms f
WHERE NOT EXISTS (SELECT FROM grids_building b WHERE b.id = f.building_id)
