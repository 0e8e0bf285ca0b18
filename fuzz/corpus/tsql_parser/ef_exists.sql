SELECT CASE
    WHEN EXISTS (
        SELECT 1
        FROM [Blogs] AS [b]) THEN CAST(1 AS bit)
    ELSE CAST(0 AS bit)
END