-- 0006: the database keeps its own rules, whoever writes (the app, `db import`, psql, QGIS, ogr2ogr):
-- * the derived columns are computed here, from the stored border, provinces and crossings, the way
--   geodata.events.enrich computes them (distances in UTM 41N, the first province containing the point, the side
--   of the nearest Pakistani or Iranian province, the nearest of the store's crossings or else the shipped ones);
-- * a point moved by a GIS client moves lat/lon with it (geom is no longer generated from them);
-- * every add, edit and retirement bumps `version` and writes one `event_history` row, recording the login role
--   (`db_role`) and, as `changed_by`, the name the app passes in the setting `border.user` (else that role).
-- The reference tables are filled by PostgisStore.migrate from the package's boundary files.

CREATE TABLE ref_provinces (
    ord         integer PRIMARY KEY,              -- file order: the first province containing a point wins
    iso_code    text NOT NULL,
    country     text NOT NULL,
    geom        geometry(Geometry, 4326) NOT NULL,
    geom_metric geometry(Geometry, 32641) NOT NULL
);
CREATE INDEX ref_provinces_geom_idx ON ref_provinces USING gist (geom);
CREATE INDEX ref_provinces_geom_metric_idx ON ref_provinces USING gist (geom_metric);

-- The border as its straight segments in UTM 41N: the nearest segment (an index search) gives the distance.
CREATE TABLE ref_border (
    segment integer PRIMARY KEY,
    geom    geometry(LineString, 32641) NOT NULL
);
CREATE INDEX ref_border_geom_idx ON ref_border USING gist (geom);

-- The shipped crossings: the reference while the store holds none of its own (as enrich does for a file).
CREATE TABLE ref_crossings (
    ord  integer PRIMARY KEY,
    id   text NOT NULL,
    geom geometry(Point, 32641) NOT NULL
);

ALTER TABLE events ALTER COLUMN geom DROP EXPRESSION;
ALTER TABLE event_history ADD COLUMN db_role text;

-- The CSV columns of a row as JSON (the history's before and after).
CREATE FUNCTION border_event_record(e events) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'id', e.id, 'event_type', e.event_type, 'title', e.title, 'date', e.date,
        'date_precision', e.date_precision, 'end_date', e.end_date, 'country', e.country,
        'province', e.province, 'district', e.district, 'location_precision', e.location_precision,
        'fatalities', e.fatalities, 'fatalities_low', e.fatalities_low, 'fatalities_high', e.fatalities_high,
        'actors', e.actors, 'description', e.description, 'source_title', e.source_title,
        'source_url', e.source_url, 'last_checked', e.last_checked, 'lat', e.lat, 'lon', e.lon)
$$;

-- Who makes this change: the app's signed-in user when the app says so, else the login role.
CREATE FUNCTION border_who() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(btrim(current_setting('border.user', true)), ''), session_user::text)
$$;

-- The nearest crossing of a place: a crossing at its own site is its own; else the nearest of the store's active
-- crossings, or of the shipped ones while the store has none.
-- The crossings in UTM 41N, indexed for a nearest-neighbour search (exact for points); planning each call (not
-- a plan cached while the table was small) keeps a bulk add from scanning the whole table once per row.
CREATE INDEX events_crossings_idx ON events USING gist (ST_Transform(geom, 32641))
    WHERE event_type = 'border_crossing' AND location_precision IN ('exact', 'town') AND retired_at IS NULL;
CREATE FUNCTION border_nearest_crossing(e events, metric geometry, OUT id text, OUT km double precision)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    d double precision;
BEGIN
    IF e.event_type = 'border_crossing' AND e.location_precision IN ('exact', 'town') THEN
        id := e.id;
        km := 0;
        RETURN;
    END IF;
    SELECT c.id, ST_Distance(ST_Transform(c.geom, 32641), metric) INTO id, d
        FROM events c
        WHERE c.event_type = 'border_crossing' AND c.location_precision IN ('exact', 'town')
          AND c.retired_at IS NULL AND c.id <> e.id
        ORDER BY ST_Transform(c.geom, 32641) <-> metric LIMIT 1;
    IF NOT FOUND THEN
        SELECT c.id, ST_Distance(c.geom, metric) AS dist INTO id, d FROM ref_crossings c ORDER BY dist, c.ord LIMIT 1;
    END IF;
    km := round(d::numeric / 1000, 1);
END
$$;

CREATE FUNCTION border_before_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    metric  geometry;
    country text;
BEGIN
    IF TG_OP = 'UPDATE' AND current_setting('border.recompute', true) = 'crossings' THEN
        -- Asked by events_added_crossings below: only the nearest crossing is measured again.
        metric := ST_Transform(OLD.geom, 32641);
        NEW := OLD;
        SELECT c.id, c.km INTO NEW.nearest_crossing, NEW.nearest_crossing_km FROM border_nearest_crossing(OLD, metric) c;
        RETURN NEW;
    END IF;
    -- Coordinates: a GIS client moves the point, a form or psql types lat/lon.
    IF NEW.geom IS NOT NULL AND (
        (TG_OP = 'INSERT' AND (NEW.lat IS NULL OR NEW.lon IS NULL))
        OR (TG_OP = 'UPDATE' AND NEW.geom IS DISTINCT FROM OLD.geom
            AND NEW.lat IS NOT DISTINCT FROM OLD.lat AND NEW.lon IS NOT DISTINCT FROM OLD.lon)) THEN
        NEW.lon := ST_X(NEW.geom);
        NEW.lat := ST_Y(NEW.geom);
    END IF;
    NEW.geom := ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326);

    -- Bookkeeping: set here, not taken from the writer.
    IF TG_OP = 'INSERT' THEN
        NEW.version := 1;
        NEW.added_by := border_who();
        NEW.added_at := now();
        NEW.source_file := coalesce(nullif(current_setting('border.source_file', true), ''), NEW.source_file);
        NEW.changed_by := NULL; NEW.changed_at := NULL;
    ELSE
        NEW.version := OLD.version;
        NEW.added_by := OLD.added_by; NEW.added_at := OLD.added_at; NEW.source_file := OLD.source_file;
        IF OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL THEN
            NEW.version := OLD.version + 1;
            NEW.retired_by := border_who();
            NEW.retired_reason := coalesce(nullif(current_setting('border.reason', true), ''), NEW.retired_reason);
        ELSIF border_event_record(NEW) IS DISTINCT FROM border_event_record(OLD)
              OR NEW.retired_at IS DISTINCT FROM OLD.retired_at THEN
            NEW.version := OLD.version + 1;
            NEW.changed_by := border_who();
            NEW.changed_at := now();
        ELSE
            NEW.changed_by := OLD.changed_by; NEW.changed_at := OLD.changed_at;
        END IF;
        IF NEW.lat IS NOT DISTINCT FROM OLD.lat AND NEW.lon IS NOT DISTINCT FROM OLD.lon
           AND NEW.date IS NOT DISTINCT FROM OLD.date AND NEW.end_date IS NOT DISTINCT FROM OLD.end_date
           AND NEW.date_precision IS NOT DISTINCT FROM OLD.date_precision AND NEW.event_type = OLD.event_type
           AND NEW.location_precision = OLD.location_precision AND NEW.id = OLD.id THEN
            -- Nothing they depend on changed: the derived values stay as computed (a typed value is undone).
            NEW.period_start := OLD.period_start; NEW.period_end := OLD.period_end;
            NEW.distance_to_border_km := OLD.distance_to_border_km; NEW.province_found := OLD.province_found;
            NEW.side := OLD.side; NEW.nearest_crossing := OLD.nearest_crossing;
            NEW.nearest_crossing_km := OLD.nearest_crossing_km;
            RETURN NEW;
        END IF;
    END IF;

    -- The time a row covers: its date widened to its precision; places from opening to closing.
    NEW.period_start := NEW.date;
    NEW.period_end := coalesce(NEW.end_date, CASE
        WHEN NEW.event_type IN ('border_crossing', 'border_market') THEN NULL
        WHEN NEW.date_precision = 'day' THEN NEW.date
        WHEN NEW.date_precision = 'month' THEN (date_trunc('month', NEW.date) + interval '1 month - 1 day')::date
        ELSE (date_trunc('year', NEW.date) + interval '1 year - 1 day')::date END);

    IF NEW.geom IS NULL OR NOT (NEW.lat BETWEEN -90 AND 90 AND NEW.lon BETWEEN -180 AND 180) THEN
        RETURN NEW;  -- the rules of lat and lon refuse the row
    END IF;
    metric := ST_Transform(NEW.geom, 32641);
    NEW.distance_to_border_km := round((SELECT ST_Distance(b.geom, metric) FROM ref_border b
                                        ORDER BY b.geom <-> metric LIMIT 1)::numeric / 1000, 2);
    SELECT p.iso_code, p.country INTO NEW.province_found, country
        FROM ref_provinces p WHERE ST_Contains(p.geom, NEW.geom) ORDER BY p.ord LIMIT 1;
    IF NOT FOUND THEN
        NEW.province_found := NULL;
        country := NULL;
    END IF;
    IF country IN ('PK', 'IR') THEN
        NEW.side := country;
    ELSE  -- at sea or in Afghanistan: the side of the nearest Pakistani or Iranian province
        NEW.side := (SELECT p.country FROM ref_provinces p WHERE p.country IN ('PK', 'IR')
                     ORDER BY ST_Distance(p.geom_metric, metric), p.ord LIMIT 1);
    END IF;

    SELECT c.id, c.km INTO NEW.nearest_crossing, NEW.nearest_crossing_km FROM border_nearest_crossing(NEW, metric) c;
    RETURN NEW;
END
$$;

CREATE FUNCTION border_after_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    action text;
    before jsonb;
    after  jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        action := 'add';
        after := border_event_record(NEW);
    ELSIF NEW.version = OLD.version THEN
        RETURN NULL;  -- only derived or bookkeeping values changed (e.g. `db init` refreshing actor ids)
    ELSIF OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL THEN
        action := 'retire';
        before := border_event_record(OLD);
    ELSE
        action := 'edit';
        before := border_event_record(OLD);
        after := border_event_record(NEW);
    END IF;
    INSERT INTO event_history (event_id, version, action, changed_by, changed_at, source_file, reason, before,
                               after, db_role)
    VALUES (NEW.id, NEW.version, action, border_who(), now(),
            CASE WHEN action = 'add' THEN NEW.source_file
                 ELSE nullif(current_setting('border.source_file', true), '') END,
            nullif(current_setting('border.reason', true), ''), before, after, session_user);
    RETURN NULL;
END
$$;

CREATE TRIGGER events_before_write BEFORE INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION border_before_write();
CREATE TRIGGER events_after_write AFTER INSERT OR UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION border_after_write();

-- Rows added in one statement with crossings among them (a file with its own crossings, like the curated data):
-- the rows before a crossing could not see it, so their nearest crossing is measured again once all are in.
CREATE FUNCTION border_added_crossings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM added WHERE event_type = 'border_crossing' AND location_precision IN ('exact', 'town')) THEN
        PERFORM set_config('border.recompute', 'crossings', true);
        UPDATE events e SET nearest_crossing = NULL FROM added a WHERE e.id = a.id;
        PERFORM set_config('border.recompute', '', true);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_added_crossings AFTER INSERT ON events REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION border_added_crossings();
