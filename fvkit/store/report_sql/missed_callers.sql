-- missed-callers: outside numbers (caller_type External) that called in the period and either had
-- a call no person answered that nobody returned, or called more than once (repeat callers).
-- returned: after the number's last missed call, an extension called it (Outgoing, dst = the
-- number) or it called again and a person answered. Times are the organisation's wall clock.
WITH inbound AS (
    SELECT src AS number, from_name, start, start_local, ring_seconds IS NULL AS missed
    FROM calls
    WHERE caller_type = 'External' AND call_type = 'Voice' AND start >= {first} AND start < {end}
),
per AS (
    SELECT number, max(from_name) AS name, count(*) AS calls,
           count(CASE WHEN missed THEN 1 END) AS missed_calls,
           count(CASE WHEN NOT missed THEN 1 END) AS answered_calls,
           max(CASE WHEN missed THEN start END) AS last_missed,
           max(CASE WHEN missed THEN start_local END) AS last_missed_local,
           min(start_local) AS first_call_local
    FROM inbound
    GROUP BY number
),
callbacks AS (
    SELECT p.number, count(*) AS callbacks
    FROM per p
    JOIN calls c ON c.direction = 'Outgoing' AND c.dst = p.number AND c.start > p.last_missed
    GROUP BY p.number
),
answered_later AS (
    SELECT p.number, count(*) AS answered_after
    FROM per p
    JOIN inbound i ON i.number = p.number AND i.start > p.last_missed AND NOT i.missed
    GROUP BY p.number
)
SELECT p.number, p.name, p.calls, p.missed_calls, p.answered_calls, p.first_call_local, p.last_missed_local,
       coalesce(b.callbacks, 0) AS callbacks_after_last_missed,
       (coalesce(b.callbacks, 0) + coalesce(a.answered_after, 0)) > 0 AS returned,
       p.calls > 1 AS repeat_caller
FROM per p
LEFT JOIN callbacks b ON b.number = p.number
LEFT JOIN answered_later a ON a.number = p.number
WHERE (p.missed_calls > 0 AND coalesce(b.callbacks, 0) + coalesce(a.answered_after, 0) = 0) OR p.calls > 1
ORDER BY p.missed_calls DESC, p.calls DESC, p.number
