-- concurrency: per local hour, the most calls in progress at once, and the most holding a trunk
-- line (outside calls that got one: not Failed), with the trunk seconds offered in that hour.
-- A call is in progress from its start for `duration` whole seconds; the level only moves at a
-- start or an end, so an hour's peak is the highest level after any of its events or the level
-- carried into it. `slot` counts local wall-clock hours since 1970-01-01 00:00; hours in which no
-- call starts or ends are left out.
WITH periods AS (
    SELECT uniqueid, epoch_us(start) AS t0, epoch_us(start_local) AS local0, duration,
           CASE WHEN trunk <> '' AND disposition <> 'Failed' THEN 1 ELSE 0 END AS on_trunk
    FROM calls
    WHERE start >= {first} AND start < {end}
),
events AS (
    SELECT uniqueid, t0 AS t, local0 AS local_t, 1 AS delta, on_trunk, duration FROM periods
    UNION ALL
    SELECT uniqueid, t0 + CAST(duration AS BIGINT) * 1000000 AS t,
           local0 + CAST(duration AS BIGINT) * 1000000 AS local_t, -1 AS delta, on_trunk, 0 AS duration
    FROM periods
),
levels AS (
    SELECT uniqueid, t, local_t, delta, on_trunk, duration,
           sum(delta) OVER (ORDER BY t, delta, uniqueid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS level,
           sum(delta * on_trunk) OVER (ORDER BY t, delta, uniqueid ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
               AS trunk_level
    FROM events
),
stepped AS (
    SELECT CAST(floor(CAST(local_t AS DOUBLE) / 3600000000) AS BIGINT) AS slot, delta, on_trunk, duration,
           greatest(level, coalesce(lag(level) OVER (ORDER BY t, delta, uniqueid), 0)) AS level,
           greatest(trunk_level, coalesce(lag(trunk_level) OVER (ORDER BY t, delta, uniqueid), 0)) AS trunk_level
    FROM levels
)
SELECT slot,
       count(CASE WHEN delta = 1 THEN 1 END) AS calls_started,
       max(level) AS peak_calls,
       count(CASE WHEN delta = 1 AND on_trunk = 1 THEN 1 END) AS trunk_calls_started,
       CAST(sum(CASE WHEN delta = 1 AND on_trunk = 1 THEN duration ELSE 0 END) AS BIGINT) AS trunk_seconds,
       max(trunk_level) AS peak_trunk_calls,
       (SELECT max(trunk_lines) FROM organisation_info) AS trunk_lines
FROM stepped
GROUP BY slot
ORDER BY slot
