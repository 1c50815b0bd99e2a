-- Read by the change checks (changes.sql): the tree's newest `updated_at` in one index
-- page.

CREATE INDEX grids_gridnode_updated_at ON grids_gridnode (updated_at)
