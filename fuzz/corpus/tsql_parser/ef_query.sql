SELECT TOP(1) [b].[BlogId], [b].[Url]
FROM [Blogs] AS [b]
WHERE [b].[BlogId] = @__id_0