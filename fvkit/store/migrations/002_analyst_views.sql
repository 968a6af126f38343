-- 002: the analyst schema. Stable views over the tables of 001 that notebooks,
-- pipelines and outside tools query; described column by column in docs/SCHEMA.md.

CREATE VIEW calls AS
SELECT uniqueid, linkedid, start_time AS start, answer_time AS answer, end_time AS "end",
       duration, billsec, src, dst, from_name, to_name, direction, disposition, call_type,
       trunk, dnis, destination, department, account_code
FROM cdr WHERE is_primary;

CREATE VIEW call_history AS
SELECT owner, placed, uniqueid, linkedid, start_time AS start, answer_time AS answer,
       end_time AS "end", duration, billsec, src, dst, from_name, to_name, direction,
       disposition, call_type, trunk, dnis, destination, department, account_code
FROM cdr;

CREATE VIEW call_flow AS
SELECT linkedid, seq, time, description FROM flow_event;

CREATE VIEW voicemails AS
SELECT id, owner, linkedid, caller, caller_name, received, duration, urgent, is_new,
       forwarded_from
FROM voicemail;

CREATE VIEW recordings AS
SELECT id, owner, linkedid, peer, peer_name, started, duration, paused, forwarded_from
FROM recording;

CREATE VIEW faxes AS
SELECT id, owner, box, linkedid, remote_number, remote_name, time, pages, status
FROM fax;

CREATE VIEW extensions AS
SELECT number, display_name, ext_type, department, location, email, access_level,
       privileges, did
FROM extension;
