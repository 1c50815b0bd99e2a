-- Each building's forms as the resolver indexes it under (`AddressIndex`), parsed once by the
-- worker (`fill_forms`) instead of in every query that reads the building: parsing the ~20
-- buildings a query reads was over a third of a resolve's CPU, and a city's buildings are too
-- many for a process to keep theirs. The reads join a row only while it is what parsing would
-- give now, and read the building's aliases where there is none: `source`, a 64-bit hash of the
-- address and aliases it was parsed from (a building rewritten since reads as unparsed;
-- hashtextextended, the hash PostgreSQL's hash partitioning keeps stable across versions), and
-- `parsed_with`, the gazetteer's digest (the place names in front of every address, and the
-- parser's own code: `gazetteer`). No foreign key, as grids_shape: a row of a deleted building
-- is never read, and the fill removes it.

CREATE TABLE IF NOT EXISTS grids_building_forms (
  building_id bigint PRIMARY KEY,
  source bigint NOT NULL,
  parsed_with text NOT NULL,
  forms jsonb NOT NULL
);
