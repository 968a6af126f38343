-- 011: the organisation itself in the analyst schema: the time zone its business hours and
-- local-time figures follow, and the trunk lines outside calls share (Erlang B sizing).

CREATE VIEW organisation_info AS
SELECT o.name, o.domain, o.time_zone, o.operator,
       CAST(coalesce((SELECT sum(lines) FROM trunk), 0) AS INTEGER) AS trunk_lines
FROM organisation o;
