-- extension-summary: per user extension, its calls in the period (FusionPBX's extension summary).
-- calls_in / calls_out: rows of its history it received / placed. answered: received calls it took
-- (it answered, or they were transferred to it); missed: the rest. no_answer, busy: received calls
-- whose disposition says so; voicemail: received calls that left it a message. avg_ring_seconds:
-- over the calls it answered; avg_talk_seconds: over its calls that a person answered.
WITH h AS (
    SELECT owner, placed, disposition, left_message, ring_seconds, billsec,
           (NOT placed AND (answered_by = owner OR transferred_to = owner)) AS took
    FROM call_history
    WHERE start >= {first} AND start < {end} AND call_type = 'Voice'
),
per AS (
    SELECT owner,
           count(CASE WHEN NOT placed THEN 1 END) AS calls_in,
           count(CASE WHEN placed THEN 1 END) AS calls_out,
           count(CASE WHEN took THEN 1 END) AS answered,
           count(CASE WHEN NOT placed AND NOT took THEN 1 END) AS missed,
           count(CASE WHEN NOT placed AND disposition = 'No Answer' THEN 1 END) AS no_answer,
           count(CASE WHEN NOT placed AND disposition = 'Busy' THEN 1 END) AS busy,
           count(CASE WHEN NOT placed AND left_message THEN 1 END) AS voicemail,
           CAST(sum(CASE WHEN took THEN ring_seconds END) AS DOUBLE)
               / count(CASE WHEN took THEN ring_seconds END) AS avg_ring_seconds,
           CAST(sum(CASE WHEN took OR (placed AND ring_seconds IS NOT NULL) THEN billsec END) AS DOUBLE)
               / count(CASE WHEN took OR (placed AND ring_seconds IS NOT NULL) THEN billsec END) AS avg_talk_seconds
    FROM h
    GROUP BY owner
)
SELECT e.number AS extension, e.display_name AS name, e.department,
       coalesce(p.calls_in, 0) AS calls_in, coalesce(p.calls_out, 0) AS calls_out,
       coalesce(p.answered, 0) AS answered, coalesce(p.missed, 0) AS missed,
       coalesce(p.no_answer, 0) AS no_answer, coalesce(p.busy, 0) AS busy,
       coalesce(p.voicemail, 0) AS voicemail, p.avg_ring_seconds, p.avg_talk_seconds
FROM extensions e
LEFT JOIN per p ON p.owner = e.number
WHERE e.ext_type = 'User'
ORDER BY e.number
