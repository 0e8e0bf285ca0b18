DECLARE @i int = 0, @t TABLE (n int);
WHILE @i < 10
BEGIN
  SET @i += 1;
  IF @i % 2 = 0 CONTINUE;
  ELSE IF @i > 7 BREAK
  INSERT INTO @t VALUES (@i)
END
SELECT n FROM @t ORDER BY n DESC