-- 012: analyst schema v2 (ANL-1). What a call's flow says about it - caller type, who answered,
-- ring time, voicemail, transfers, the department it ended in - summarised once per call in
-- `call_summary`, so `calls` and `call_history` carry it as plain columns (docs/SCHEMA.md).
-- `call_summary_of(lo, hi)` is the one definition, for the calls whose linkedid lies in
-- [lo, hi] (NULL, NULL: all): the migration fills the table from it for the calls already
-- stored, and the store refreshes the rows of every batch of cdr or flow_event it writes
-- (fvkit/store/analyst.py), whoever writes them (simulator, live, click to dial, import).
-- NOTE: the range is a plain filter inside every scan, so DuckDB's zone maps skip the rest of
-- a large store (linkedids grow with time); a semi-join against the batch was not pushed down
-- (4 s per live call on a 1M-call store).

CREATE MACRO call_summary_of(lo, hi) AS TABLE
WITH f AS (
    SELECT linkedid,
           count(*) AS events,
           min(time) FILTER (WHERE description LIKE 'call answered by %') AS person_answer,
           arg_min(description, seq) FILTER (WHERE description LIKE 'call answered by %') AS first_answer,
           arg_max(regexp_extract(description, 'for user:<([^>]*)>', 1), seq)
               FILTER (WHERE description LIKE 'process follow me:%') AS follow_me_user,
           bool_or(description LIKE 'enter voicemail number:%') AS reached_voicemail,
           bool_or(description LIKE 'voicemail message left to voicemail account %') AS left_message,
           arg_max(regexp_extract(description, 'by user:<([^>]*)>', 1), seq)
               FILTER (WHERE regexp_matches(description, '^(blind|attended) transfer to extension:')) AS transferred_by,
           arg_max(regexp_extract(description, 'transfer to extension:([^ ,]*)', 1), seq)
               FILTER (WHERE regexp_matches(description, '^(blind|attended) transfer to extension:')) AS transferred_to
    FROM flow_event
    WHERE lo IS NULL OR linkedid BETWEEN lo AND hi
    GROUP BY linkedid
),
reached AS (
    SELECT e.linkedid, arg_max(x.department, e.seq) AS final_department
    FROM flow_event e
    JOIN extension x ON x.number = regexp_extract(
        e.description,
        '^(dial local number:|dial local extension:PJSIP/|call answered by PJSIP/|enter voicemail number:|blind transfer to extension:|attended transfer to extension:|auto attendant transfer to extension:)([^ ,]+)',
        2)
    WHERE x.department <> '' AND (lo IS NULL OR e.linkedid BETWEEN lo AND hi)
      AND (e.description LIKE 'dial local %' OR e.description LIKE 'call answered by PJSIP/%'
           OR e.description LIKE 'enter voicemail number:%' OR e.description LIKE '%transfer to extension:%')
    GROUP BY e.linkedid
)
SELECT c.linkedid,
       CASE WHEN c.direction IN ('Internal', 'Outgoing') THEN 'Internal'
            WHEN c.dcontext = 'from-peer' THEN 'Office peer'
            ELSE 'External' END AS caller_type,
       CASE WHEN f.first_answer LIKE 'call answered by PJSIP/%'
                THEN regexp_extract(f.first_answer, 'PJSIP/([^ ,]+)', 1)
            WHEN f.first_answer LIKE 'call answered by follow me number:%' THEN coalesce(f.follow_me_user, '')
            WHEN f.first_answer IS NULL AND coalesce(f.events, 0) <= 1 AND c.answer_time IS NOT NULL
                 AND c.disposition IN ('Answered', 'Transferred - Blind', 'Transferred - Attended')
                 AND dx.ext_type = 'User' THEN c.destination
            ELSE '' END AS answered_by,
       CAST(CASE WHEN f.person_answer IS NOT NULL
                     THEN (epoch_us(f.person_answer) - epoch_us(c.start_time)) // 1000000
                 WHEN coalesce(f.events, 0) <= 1 AND c.answer_time IS NOT NULL AND c.call_type = 'Voice'
                      AND c.disposition IN ('Answered', 'Transferred - Blind', 'Transferred - Attended')
                     THEN (epoch_us(c.answer_time) - epoch_us(c.start_time)) // 1000000
            END AS INTEGER) AS ring_seconds,
       coalesce(f.reached_voicemail, false) OR (coalesce(f.events, 0) <= 1 AND c.destination LIKE '%@system')
           AS reached_voicemail,
       coalesce(f.left_message, false) OR (coalesce(f.events, 0) <= 1 AND c.disposition = 'Voicemail')
           AS left_message,
       coalesce(f.transferred_by, '') AS transferred_by,
       coalesce(f.transferred_to, '') AS transferred_to,
       coalesce(r.final_department, c.department) AS final_department
FROM cdr c
LEFT JOIN f USING (linkedid)
LEFT JOIN reached r USING (linkedid)
LEFT JOIN extension dx ON dx.number = c.destination
WHERE c.is_primary AND (lo IS NULL OR c.linkedid BETWEEN lo AND hi);

CREATE VIEW call_summary_source AS SELECT * FROM call_summary_of(NULL, NULL);

CREATE TABLE call_summary AS SELECT * FROM call_summary_source;

DROP VIEW calls;
CREATE VIEW calls AS
SELECT c.uniqueid, c.linkedid, c.start_time AS start, c.answer_time AS answer, c.end_time AS "end",
       c.duration, c.billsec, c.src, c.dst, c.from_name, c.to_name, c.direction, c.disposition, c.call_type,
       c.trunk, c.dnis, c.destination, c.department, c.account_code,
       s.caller_type, s.answered_by, s.ring_seconds, s.reached_voicemail, s.left_message,
       s.transferred_by, s.transferred_to, s.final_department,
       timezone(coalesce(o.time_zone, 'UTC'), c.start_time AT TIME ZONE 'UTC') AS start_local,
       CAST(timezone(coalesce(o.time_zone, 'UTC'), c.start_time AT TIME ZONE 'UTC') AS DATE) AS local_date
FROM cdr c
LEFT JOIN call_summary s USING (linkedid)
LEFT JOIN (SELECT time_zone FROM organisation LIMIT 1) o ON true
WHERE c.is_primary;

DROP VIEW call_history;
CREATE VIEW call_history AS
SELECT c.owner, c.placed, c.uniqueid, c.linkedid, c.start_time AS start, c.answer_time AS answer,
       c.end_time AS "end", c.duration, c.billsec, c.src, c.dst, c.from_name, c.to_name, c.direction,
       c.disposition, c.call_type, c.trunk, c.dnis, c.destination, c.department, c.account_code,
       s.caller_type, s.answered_by, s.ring_seconds, s.reached_voicemail, s.left_message,
       s.transferred_by, s.transferred_to, s.final_department,
       timezone(coalesce(p.time_zone, o.time_zone, 'UTC'), c.start_time AT TIME ZONE 'UTC') AS start_local,
       CAST(timezone(coalesce(p.time_zone, o.time_zone, 'UTC'), c.start_time AT TIME ZONE 'UTC') AS DATE) AS local_date,
       coalesce(p.time_zone, o.time_zone, 'UTC') AS time_zone
FROM cdr c
LEFT JOIN call_summary s USING (linkedid)
LEFT JOIN (SELECT time_zone FROM organisation LIMIT 1) o ON true
LEFT JOIN preference p ON p.owner = c.owner;
