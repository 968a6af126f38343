-- hourly: calls by local hour of day and by local weekday (1 = Monday), for the period and a
-- comparison period (FreePBX/CDR-Stats style). answered: a person answered (ring_seconds set);
-- outside: the call used a trunk. Keys without calls in either period are added by the runner.
WITH c AS (
    SELECT CASE WHEN start >= {first} AND start < {end} THEN 'current' ELSE 'compare' END AS period,
           hour(start_local) AS hour, isodow(local_date) AS weekday,
           ring_seconds IS NOT NULL AS answered, trunk <> '' AS outside
    FROM calls
    WHERE call_type = 'Voice'
      AND ((start >= {first} AND start < {end}) OR (start >= {compare_first} AND start < {compare_end}))
),
keyed AS (
    SELECT 'hour' AS dimension, hour AS key, period, answered, outside FROM c
    UNION ALL
    SELECT 'weekday' AS dimension, weekday AS key, period, answered, outside FROM c
)
SELECT dimension, CAST(key AS INTEGER) AS key,
       count(CASE WHEN period = 'current' THEN 1 END) AS calls,
       count(CASE WHEN period = 'current' AND answered THEN 1 END) AS answered,
       count(CASE WHEN period = 'current' AND outside THEN 1 END) AS outside_calls,
       count(CASE WHEN period = 'compare' THEN 1 END) AS compare_calls,
       count(CASE WHEN period = 'compare' AND answered THEN 1 END) AS compare_answered,
       count(CASE WHEN period = 'compare' AND outside THEN 1 END) AS compare_outside_calls
FROM keyed
GROUP BY dimension, key
ORDER BY dimension, key
