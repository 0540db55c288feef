"""`xlplan serve`: the whole loop in a browser, on top of the library."""
