"""Rule-based extraction of claims and control events from report text."""
