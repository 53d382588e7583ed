-- 0005: each event's actor ids (geodata.actors: the ids of actors.csv its actors text names, joined by ';'),
-- derived on write like the other derived columns, so the actor filter runs in SQL. The index holds the same
-- expression the filter uses (geodata/filter_fields/_actors.py ACTOR_IDS_SQL). Rows written before this step,
-- and every row after an edit of actors.csv, get their ids from `python -m geodata db init`
-- (PostgisStore.refresh_actor_ids): SQL cannot match names in any script the way geodata does.
ALTER TABLE events ADD COLUMN actor_ids text;
CREATE INDEX events_actor_ids_idx ON events USING gin (string_to_array(actor_ids, ';'));
