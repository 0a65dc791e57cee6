"""Ingest: decode article files, strip page furniture (logged), read metadata, split sentences."""
