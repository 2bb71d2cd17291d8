-- Keys (<columns>) that more than one row of <table> has, among <rows>.
SELECT count(*) FROM (SELECT {{ columns }} FROM {{ table }} WHERE {{ rows }} GROUP BY ALL HAVING count(*) > 1)
