RAISERROR('Value %d too big', 16, 1, @v) WITH NOWAIT;
THROW 50001, N'Bad thing', 1;
PRINT 'n = ' + CAST(@n AS varchar(10))