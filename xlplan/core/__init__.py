"""What every stage shares: the content and the plan, the table declarations, the records read back,
the facts derived from them, the problem catalogue, names, and writing files safely. No workbook I/O."""
