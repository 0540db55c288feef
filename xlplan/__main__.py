"""`python -m xlplan`: the way round a PATH that does not reach the `xlplan` command (common on Windows)."""
from xlplan.cli import main

if __name__ == "__main__":  # a spawned worker process imports no main module of a package, but be sure
    main()
