"""Progress computed from the records, the management workbook laid out, the history between
readings, and the JSON and CSV/Parquet exports."""
