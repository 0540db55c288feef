"""`xlplan serve`: the whole loop in a browser, on top of the library."""

# Here rather than in server.py, so that the command line shows them without importing the server.
DEFAULT_PORT = 8765
LOOPBACK = "127.0.0.1"  # only this computer, unless the coordinator says otherwise
MAX_UPLOAD_MB = 25  # the largest file a team may send
