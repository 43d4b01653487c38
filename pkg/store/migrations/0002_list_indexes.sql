-- Lists at scale (10,000 contracts × 5 trackers): a case-folded sort key with an index for
-- pages in name order, and an index for "objects that refer to X through field F".
ALTER TABLE objects ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
UPDATE objects SET sort_name = LOWER(name);
CREATE INDEX objects_sort ON objects (kind, sort_name, id);
CREATE INDEX refs_field ON refs (kind, field, ref_id, id);
