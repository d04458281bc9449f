-- A measurement_uid names one measurement whatever its start time. The partitioned table's key must
-- hold the partition column, so (measurement_uid, measurement_start_time) alone let a repeat sent
-- with another start time be stored twice; this table, not partitioned, holds each uid once, and a
-- measurement is stored only when its uid is new here (in the same transaction).
CREATE TABLE measurement_uids (
    measurement_uid text PRIMARY KEY
);
INSERT INTO measurement_uids (measurement_uid) SELECT DISTINCT measurement_uid FROM measurements ON CONFLICT DO NOTHING;
