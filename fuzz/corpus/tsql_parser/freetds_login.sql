set textsize 2147483647
select @@spid
use [shop]