-- 0001: the team's event table: the columns and rules of the CSV schema (geodata/data/events.csv),
-- the columns geodata derives on write (never typed by hand), and the bookkeeping of a shared table.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE events (
    id                 text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]*$'),
    event_type         text NOT NULL CHECK (event_type IN ('border_crossing', 'border_market', 'attack', 'clash',
                                                            'cross_border_strike', 'smuggling', 'unrest',
                                                            'diplomatic')),
    title              text NOT NULL CHECK (btrim(title) <> ''),
    date               date,
    date_precision     text CHECK (date_precision IN ('day', 'month', 'year')),
    end_date           date,
    country            text NOT NULL CHECK (country IN ('PK', 'IR')),
    province           text,
    district           text,
    location_precision text NOT NULL CHECK (location_precision IN ('exact', 'town', 'district', 'province')),
    fatalities         integer CHECK (fatalities >= 0),
    fatalities_low     integer CHECK (fatalities_low >= 0),
    fatalities_high    integer CHECK (fatalities_high >= 0),
    actors             text,
    description        text,
    source_title       text,
    source_url         text NOT NULL CHECK (source_url ~* '^https?://[^\s/]+'),
    last_checked       date,
    lat                double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon                double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    geom               geometry(Point, 4326) NOT NULL
                           GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,

    -- Derived by geodata.events.enrich when a row is written, so a load is a plain read.
    period_start          date,
    period_end            date,
    distance_to_border_km double precision,
    province_found        text,
    side                  text,
    nearest_crossing      text,
    nearest_crossing_km   double precision,

    -- Bookkeeping: optimistic version, who added the row, when and from which file, last change, retirement.
    seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- insertion order: a load keeps file order
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    added_by       text NOT NULL CHECK (btrim(added_by) <> ''),
    added_at       timestamptz NOT NULL DEFAULT now(),
    source_file    text,
    changed_by     text,
    changed_at     timestamptz,
    retired_by     text,
    retired_at     timestamptz,
    retired_reason text,

    CONSTRAINT events_date_check CHECK (date IS NOT NULL OR event_type IN ('border_crossing', 'border_market')),
    CONSTRAINT events_date_precision_needed_check CHECK (date IS NULL OR date_precision IS NOT NULL),
    CONSTRAINT events_end_date_check CHECK (end_date >= date),
    CONSTRAINT events_fatalities_low_range_check CHECK (fatalities_low <= fatalities_high),
    CONSTRAINT events_fatalities_range_check CHECK (fatalities BETWEEN fatalities_low AND fatalities_high)
);

CREATE INDEX events_geom_idx ON events USING gist (geom);
CREATE INDEX events_period_start_idx ON events (period_start);
CREATE INDEX events_period_end_idx ON events (period_end);
CREATE INDEX events_event_type_idx ON events (event_type);

-- Every change, with who, when, from which file, and the row before and after (the CSV columns, as JSON).
CREATE TABLE event_history (
    change_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    text NOT NULL REFERENCES events (id),
    version     integer NOT NULL,
    action      text NOT NULL CHECK (action IN ('add', 'edit', 'retire')),
    changed_by  text NOT NULL CHECK (btrim(changed_by) <> ''),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    source_file text,
    reason      text,
    before      jsonb,
    after       jsonb
);

CREATE INDEX event_history_event_idx ON event_history (event_id, change_id);
