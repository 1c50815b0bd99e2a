-- What forms_table.sql makes, dropped.

DROP TABLE IF EXISTS grids_building_forms;
