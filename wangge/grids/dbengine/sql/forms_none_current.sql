-- Whether the table holds rows and none is current over the digest asked: after the place
-- names or the parser changed, every row is to be written again.

SELECT EXISTS (SELECT FROM grids_building_forms)
   AND NOT EXISTS (SELECT FROM grids_building_forms WHERE parsed_with = %s)
