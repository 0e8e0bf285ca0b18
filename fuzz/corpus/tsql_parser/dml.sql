INSERT INTO t (a, b) VALUES (1, 'x'), (2, DEFAULT);
INSERT t DEFAULT VALUES;
INSERT INTO t EXEC dbo.p 1, @x OUTPUT;
UPDATE TOP (10) x SET a = u.a, @v = b = b + 1, c += 1 OUTPUT inserted.a, deleted.a INTO @log FROM dbo.t AS x JOIN u ON u.id = x.id WHERE x.flag = 1;
DELETE FROM t OUTPUT deleted.* WHERE a = 1;
TRUNCATE TABLE dbo.t