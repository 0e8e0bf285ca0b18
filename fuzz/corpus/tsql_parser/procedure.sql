CREATE PROCEDURE dbo.get_orders
  @customer int,
  @since datetime2 = NULL,
  @count int OUTPUT
WITH RECOMPILE, EXECUTE AS OWNER
AS
BEGIN
  SET NOCOUNT ON;
  SELECT * FROM orders WHERE customer = @customer AND placed >= ISNULL(@since, '19000101');
  SET @count = @@ROWCOUNT
  RETURN 0
END