/* outer /* nested */ still */ SELECT [a]]b], "q""x", 'it''s' -- trailing
FROM #temp, ##global WHERE $action IS NULL