"""Turn news reports about armed conflict into validated, analysable claims data."""
