"""The workbook file formats: a plain description of a workbook (model), its styles, the one writer
(XlsxWriter) and the one reader of .xlsx files."""
