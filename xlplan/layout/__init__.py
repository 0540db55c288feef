"""Workbook layout: plain descriptions of sheets, built from content and config, with no I/O."""
