-- Land one export (file or table) in its raw table as canonical text, numbering rows in file order.
-- adcraft/sources/landing.py fills in <entity>, <columns> (the source's mapping, adcraft/sources/mapping.py), <source>,
-- <row_number> and <unmatched> (why a row's join found nothing, adcraft/sources/joins.py; NULL without joins);
-- $load_id is a parameter.
INSERT INTO raw.{{ entity }} BY NAME
SELECT {{ columns }}, $load_id AS _load_id, {{ row_number }} AS _row_number, {{ unmatched }} AS _unmatched
FROM {{ source }}
