-- 0003: status periods of crossings and markets (the columns and rules of geodata/data/place_status.csv).
CREATE TABLE place_status (
    place_id     text NOT NULL REFERENCES events (id),
    status       text NOT NULL CHECK (status IN ('open', 'closed', 'restricted')),
    start        date NOT NULL,
    "end"        date,
    note         text,
    source_title text NOT NULL CHECK (btrim(source_title) <> ''),
    source_url   text NOT NULL CHECK (source_url ~* '^https?://[^\s/]+'),
    PRIMARY KEY (place_id, start),
    CONSTRAINT place_status_end_check CHECK ("end" >= start)
);
