"""Analysis: cross-document chronology, profiles, market facts, prices and the event study."""
