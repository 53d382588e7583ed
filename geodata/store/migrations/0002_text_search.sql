-- 0002: text filters stay fast at a million rows: a trigram index on the searched text (title, description,
-- actors), the same expression the store's text filter uses.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX events_search_idx ON events USING gin (
    lower(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(actors, '')) gin_trgm_ops
);
