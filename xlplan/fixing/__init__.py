"""Fresh copies that carry a team's data: annotated copies for fixing and migration to a new
template version."""
