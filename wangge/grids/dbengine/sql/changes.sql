-- A table's newest `updated_at` and rows inserted and deleted; {table} is replaced by the
-- table's name. Every worker asks every RECHECK_SECONDS whether the tree or the buildings
-- changed (see `indexes`). The count read a million index entries (every 2 s in each
-- process: a third of 2 cores for 16 processes). What it was for, a row deleted, is counted by
-- the server's statistics: the rows inserted and deleted (committed or not: at worst a
-- needless rebuild), those of the asking transaction included. Other processes see a commit's
-- figures within a few seconds (the server sends them when a backend goes idle, at most once a
-- second). Where the statistics are not kept (track_counts off) the count is read as before.

SELECT (SELECT max(updated_at) FROM {table}),
       CASE WHEN current_setting('track_counts')::boolean
       THEN pg_stat_get_tuples_inserted('{table}'::regclass)
            + pg_stat_get_tuples_deleted('{table}'::regclass)
            + pg_stat_get_xact_tuples_inserted('{table}'::regclass)
            + pg_stat_get_xact_tuples_deleted('{table}'::regclass)
       ELSE (SELECT count(*) FROM {table}) END
