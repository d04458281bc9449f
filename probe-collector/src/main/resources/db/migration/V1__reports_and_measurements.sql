-- The collector's tables. Reports as probes open them (bk-003), measurements as submitted: the whole
-- document as JSONB, and the columns researchers filter and join on. Partitioned by month of
-- measurement_start_time; the collector creates each month's partition before its first row.
CREATE TABLE reports (
    report_id        text PRIMARY KEY,
    probe_asn        text NOT NULL,
    probe_cc         text NOT NULL,
    software_name    text NOT NULL,
    software_version text NOT NULL,
    test_name        text NOT NULL,
    probe            text,
    opened_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE measurements (
    measurement_uid        text        NOT NULL,
    measurement_start_time timestamptz NOT NULL,
    report_id              text        NOT NULL REFERENCES reports (report_id),
    probe_asn              text        NOT NULL,
    probe_cc               text        NOT NULL,
    probe_network_name     text        NOT NULL,
    input                  text,
    test_start_time        timestamptz NOT NULL,
    status                 text,
    method                 text,
    flags                  text[]      NOT NULL DEFAULT '{}',
    received_at            timestamptz NOT NULL DEFAULT now(),
    doc                    jsonb       NOT NULL,
    PRIMARY KEY (measurement_uid, measurement_start_time)
) PARTITION BY RANGE (measurement_start_time);

CREATE INDEX measurements_network_input ON measurements (probe_asn, probe_cc, input, measurement_start_time);
CREATE INDEX measurements_status ON measurements (status, measurement_start_time);
CREATE INDEX measurements_report ON measurements (report_id);
CREATE INDEX measurements_uid ON measurements (measurement_uid);
