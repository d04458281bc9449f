-- Documents compressed with LZ4 rather than pglz: a 40 KB measurement is compressed on every insert,
-- and LZ4 does it several times faster for a little more space. Existing rows keep their compression;
-- a PostgreSQL built without LZ4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE measurements ALTER COLUMN doc SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'LZ4 is not available: documents stay compressed with pglz';
END
$$;

-- The primary key (measurement_uid, measurement_start_time) already finds a measurement by its uid.
DROP INDEX measurements_uid;
