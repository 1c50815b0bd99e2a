-- The buildings' rows updated and deleted, as the server's statistics count them (the asking
-- transaction's included; see changes.sql); NULL where they are not kept.

SELECT CASE WHEN current_setting('track_counts')::boolean
  THEN pg_stat_get_tuples_updated('grids_building'::regclass)
       + pg_stat_get_tuples_deleted('grids_building'::regclass)
       + pg_stat_get_xact_tuples_updated('grids_building'::regclass)
       + pg_stat_get_xact_tuples_deleted('grids_building'::regclass)
  END
