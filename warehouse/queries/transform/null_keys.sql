-- Rows of <table> with a null in any of the checked columns (<columns>).
SELECT count(*) FROM {{ table }} WHERE {{ any_null }}
