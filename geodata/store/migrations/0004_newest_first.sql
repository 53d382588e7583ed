-- 0004: a page over a big store loads the newest rows that match its filter (ORDER BY date DESC NULLS LAST,
-- seq DESC LIMIT n): this index holds the active rows in that order, so "the newest n of everything" is an
-- index scan instead of a sort of the whole table.
CREATE INDEX events_newest_idx ON events (date DESC NULLS LAST, seq DESC) WHERE retired_at IS NULL;
