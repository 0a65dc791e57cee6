"""The chronology's event machinery, one job per module: :mod:`.families` (event families,
statuses, which list a sentence means), :mod:`.merge` (mentions into events, by blocking keys)
and :mod:`.link` (events matched to the official record)."""
