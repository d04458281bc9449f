-- OONI's probes send no measurement_uid: the collector assigns one, and recognises a repeat of such a
-- submission by the SHA-256 of its content as sent (NULL for measurements that carry their own uid).
ALTER TABLE measurement_uids ADD COLUMN content_sha256 bytea UNIQUE;

-- Links to GET /measurements/{uid} that a dashboard can build: the query string expires=E&sig=S, S the
-- HMAC-SHA256 of uid || '\n' || E under the collector's key. The key is made by the collector at its
-- first start (java.security.SecureRandom) and kept here with HMAC's two pads, so that the SQL
-- below needs only PostgreSQL's own sha256(), no extension. Only the collector's role reads the table;
-- a dashboard's role signs through measurement_link(), which runs with the collector's rights.
CREATE TABLE link_key (
    id        integer PRIMARY KEY CHECK (id = 1),
    key       bytea NOT NULL,
    inner_pad bytea NOT NULL,
    outer_pad bytea NOT NULL
);
REVOKE ALL ON link_key FROM PUBLIC;

-- The query string of a link to measurement uid, valid until midnight (UTC) of the day 'valid' from
-- now (so that a dashboard's links stay the same through a day). NULL before the collector has made its key.
CREATE FUNCTION measurement_link(uid text, valid interval DEFAULT interval '7 days') RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
AS $$
    SELECT 'expires=' || e.expires || '&sig='
        || encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to(uid || E'\n' || e.expires, 'UTF8'))), 'hex')
    FROM link_key k,
         (SELECT extract(epoch FROM date_trunc('day', now() AT TIME ZONE 'UTC') + valid)::bigint AS expires) e
    WHERE k.id = 1
$$;
