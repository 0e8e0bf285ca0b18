EXEC sp_executesql N'SELECT * FROM t WHERE a = @p', N'@p int', @p = 1;
EXEC @rc = dbo.p @a = 1, @b = @c OUT, @d = DEFAULT;
EXEC ('SELECT ' + @cols + N' FROM t')