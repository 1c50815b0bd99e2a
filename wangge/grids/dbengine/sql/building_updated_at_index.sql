-- Read by the change checks (changes.sql): the buildings' newest `updated_at` in one index
-- page.

CREATE INDEX grids_building_updated_at ON grids_building (updated_at)
