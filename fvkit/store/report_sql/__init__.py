"""The organisation reports (ANL-3/4), one SQL file each, in the subset DuckDB and Spark SQL share."""
