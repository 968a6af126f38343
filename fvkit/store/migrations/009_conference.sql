-- 009: conference events keep the zone their times were entered in (recurrences repeat
-- at the same local hour across DST), and each organizer's conference announcement
-- (CONF-5, guide p.38-39): an uploaded WAV blob, or a "Call me" recording kept as a script.
ALTER TABLE conference ADD COLUMN time_zone VARCHAR DEFAULT 'UTC';

CREATE TABLE conference_announcement (
    owner VARCHAR PRIMARY KEY,
    blob_sha256 VARCHAR,                 -- an uploaded WAV (mono, 8 kHz, 16-bit PCM)
    script VARCHAR NOT NULL,             -- '' for an upload; what "Call me" recorded otherwise
    updated_at TIMESTAMP NOT NULL
);
