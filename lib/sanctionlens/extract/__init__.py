"""Extract: per-document tags, numbers, time expressions, quotes and name candidates."""
