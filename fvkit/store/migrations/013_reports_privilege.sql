-- 013: the Organisation reports privilege (ANL-3) for the operator of an organisation created
-- before it existed (a new organisation's operator gets every privilege when it is generated).

UPDATE extension
SET privileges = list_append(privileges, 'Organisation reports')
WHERE number IN (SELECT operator FROM organisation)
  AND NOT list_contains(privileges, 'Organisation reports');
