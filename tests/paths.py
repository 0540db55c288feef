"""Where the project's own files are, for tests."""
from pathlib import Path

ROOT = Path(__file__).parent.parent
SAMPLE_CONFIG = ROOT / "samples" / "plan.toml"
