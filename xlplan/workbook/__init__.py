"""Team workbooks: the layout of every sheet from the plan and content (a plain description, no I/O),
and generating them."""
