"""Returned workbooks read back into records and problems, dates and periods understood, each file
in a worker process."""
